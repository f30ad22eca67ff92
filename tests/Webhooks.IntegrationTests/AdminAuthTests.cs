using System.Net;
using System.Net.Http.Headers;
using FluentAssertions;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>An instance with no admin key configured: the admin surface is closed, whatever is sent.</summary>
public sealed class NoAdminKeyApp : WebhooksApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Webhooks:Admin:ApiKey"] = "" };
}

public sealed class AdminClosedWithoutKeyTests(NoAdminKeyApp app) : IClassFixture<NoAdminKeyApp>
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("anything")]
    public async Task AdminEndpoint_WithNoKeyConfigured_Answers401(string? presented)
    {
        using var client = app.CreateClient();
        if (presented is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", presented);
        }

        using var response = await client.GetAsync("/api/v1/admin/relay");

        var problem = await response.ProblemAsync(401);
        if (presented is null)
        {
            problem.GetProperty("detail").GetString().Should().Contain("closed");
        }
    }
}

public sealed class AdminRelayTests(WebhooksApp app) : IClassFixture<WebhooksApp>
{
    [Fact]
    public async Task AdminEndpoint_WithoutOrWithWrongKey_Answers401_WithRightKey_200()
    {
        using var anonymous = app.CreateClient();
        (await anonymous.GetAsync("/api/v1/admin/relay")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        using var wrong = app.CreateClient();
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WebhooksApp.AdminKey + "x");
        await (await wrong.GetAsync("/api/v1/admin/relay")).ProblemAsync(401);

        using var admin = app.CreateAdminClient();
        using var response = await admin.GetAsync("/api/v1/admin/relay");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("\"paused\":false");
    }

    [Fact]
    public async Task Relay_PausedThenResumed_PublishesWhatWaited()
    {
        using var admin = app.CreateAdminClient();
        using var client = app.CreateClient();
        await using var events = await EventCollector.StartAsync();

        (await (await admin.PostAsync("/api/v1/admin/relay/pause", null)).Content.ReadAsStringAsync()).Should().Contain("\"paused\":true");
        var accepted = await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(77)))).AcceptedAsync();
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE inbox_id = $1 AND status = 'pending'", accepted.Id)).Should().Be(3);

        (await (await admin.PostAsync("/api/v1/admin/relay/resume", null)).Content.ReadAsStringAsync()).Should().Contain("\"paused\":false");

        var received = await Eventually.GetAsync(() => events.ForInbox(accepted.Id), e => e.Count >= 3);
        received.Should().HaveCount(3);
    }
}

/// <summary>
/// Every admin and subscription endpoint, each method, is under the admin policy: anonymous gets 401, the right key
/// gets past authentication. (A wrong key meets the same handler on every endpoint; AdminAuthTests covers it, and ten
/// of them would lock this test's client out.)
/// </summary>
public sealed class EveryAdminEndpointTests(WebhooksApp app) : IClassFixture<WebhooksApp>
{
    private const string Id = "0190f5a4-1c2b-7000-8000-000000000001";

    [Theory]
    [InlineData("GET", "/api/v1/admin/relay")]
    [InlineData("POST", "/api/v1/admin/relay/pause")]
    [InlineData("GET", "/api/v1/admin/inbox")]
    [InlineData("GET", "/api/v1/admin/inbox/" + Id)]
    [InlineData("POST", "/api/v1/admin/inbox/" + Id + "/replay")]
    [InlineData("GET", "/api/v1/admin/dead-letters")]
    [InlineData("GET", "/api/v1/admin/dead-letters/" + Id)]
    [InlineData("POST", "/api/v1/admin/dead-letters/" + Id + "/replay")]
    [InlineData("POST", "/api/v1/admin/dead-letters/" + Id + "/archive")]
    [InlineData("POST", "/api/v1/admin/dead-letters/replay")]
    [InlineData("GET", "/api/v1/admin/jobs/" + Id)]
    [InlineData("GET", "/api/v1/admin/sources")]
    [InlineData("POST", "/api/v1/admin/sources")]
    [InlineData("GET", "/api/v1/admin/sources/shopify")]
    [InlineData("PUT", "/api/v1/admin/sources/nope")]
    [InlineData("DELETE", "/api/v1/admin/sources/nope")]
    [InlineData("POST", "/api/v1/admin/sources/nope/secrets")]
    [InlineData("DELETE", "/api/v1/admin/sources/nope/secrets/" + Id)]
    [InlineData("GET", "/api/v1/admin/stats")]
    [InlineData("GET", "/api/v1/subscriptions")]
    [InlineData("POST", "/api/v1/subscriptions")]
    [InlineData("GET", "/api/v1/subscriptions/" + Id)]
    [InlineData("PUT", "/api/v1/subscriptions/" + Id)]
    [InlineData("DELETE", "/api/v1/subscriptions/" + Id)]
    [InlineData("POST", "/api/v1/subscriptions/" + Id + "/test")]
    [InlineData("GET", "/api/v1/subscriptions/" + Id + "/logs")]
    [InlineData("POST", "/api/v1/subscriptions/" + Id + "/secret/rotate")]
    [InlineData("POST", "/api/v1/subscriptions/" + Id + "/replay")]
    [InlineData("GET", "/admin")]
    [InlineData("GET", "/admin/subscriptions")]
    public async Task Endpoint_RequiresTheAdminKey(string method, string path)
    {
        HttpRequestMessage Request(string? key)
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is "POST" or "PUT")
            {
                request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            }

            if (key is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }

            return request;
        }

        using var client = app.CreateClient();
        (await client.SendAsync(Request(null))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var allowed = await client.SendAsync(Request(WebhooksApp.AdminKey));
        allowed.StatusCode.Should().NotBe(HttpStatusCode.Unauthorized).And.NotBe(HttpStatusCode.InternalServerError);
        await client.PostAsync("/api/v1/admin/relay/resume", null);
    }
}
