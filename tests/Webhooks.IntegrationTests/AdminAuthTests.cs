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
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE inbox_id = $1 AND status = 'pending'", accepted.Id)).Should().Be(2);

        (await (await admin.PostAsync("/api/v1/admin/relay/resume", null)).Content.ReadAsStringAsync()).Should().Contain("\"paused\":false");

        var received = await Eventually.GetAsync(() => events.ForInbox(accepted.Id), e => e.Count >= 2);
        received.Should().HaveCount(2);
    }
}
