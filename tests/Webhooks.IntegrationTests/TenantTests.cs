using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>Applications and their keys, for the tests of one class.</summary>
internal static class Tenants
{
    public static async Task<(string Id, string Uid)> CreateApplicationAsync(this HttpClient admin, string? uid = null)
    {
        uid ??= DeliveryClient.Unique("app-");
        var response = await admin.PostAsJsonAsync("/api/v1/applications", new { name = "Tenant " + uid, uid });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        created.GetProperty("uid").GetString().Should().Be(uid);
        return (created.GetProperty("id").GetString()!, uid);
    }

    public static async Task<string> CreateKeyAsync(this HttpClient admin, string application)
    {
        var response = await admin.PostAsJsonAsync($"/api/v1/applications/{application}/keys", new { name = "server" });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var key = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        key.Length.Should().BeGreaterThanOrEqualTo(32);
        return key;
    }

    public static HttpClient WithKey(this WebhooksApp app, string key)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}

/// <summary>
/// Contract v3, "Tenants, filters and the partner portal": applications keep partners apart — keys act for their own
/// application only, events reach the subscriptions of the application they were published to, filters choose on
/// what an event carries.
/// </summary>
public sealed class TenantTests(DeliveryApp app) : IClassFixture<DeliveryApp>
{
    private WebhookReceiver Receiver => app.Receiver!;

    /// <summary>
    /// Every route under /api/v1/applications/{app}/… answers 403 to another application's key, and none of those
    /// answers counts as a failed credential attempt: the same address still gets 401, not 429, for a wrong key.
    /// </summary>
    [Fact]
    public async Task EveryApplicationRoute_RefusesAnotherApplicationsKey_WithoutCountingAFailedLogin()
    {
        using var admin = app.CreateAdminClient();
        var (a, aUid) = await admin.CreateApplicationAsync();
        var (b, _) = await admin.CreateApplicationAsync();
        var keyOfB = await admin.CreateKeyAsync(b);
        var keyOfA = await admin.CreateKeyAsync(aUid);
        using var asA = app.WithKey(keyOfA);
        var subscription = await (await asA.PostAsJsonAsync($"/api/v1/applications/{a}/subscriptions",
            new { url = Receiver.Url(DeliveryClient.Unique("a-")), events = new[] { "order.created" } })).Content.ReadFromJsonAsync<JsonElement>();
        var subscriptionId = subscription.GetProperty("id").GetString();
        await (await asA.PostAsJsonAsync($"/api/v1/applications/{a}/events", new { type = "order.created", data = new { n = 1 } })).Content.ReadAsStringAsync();
        var delivery = await Eventually.GetAsync(
            async () => (await asA.GetFromJsonAsync<JsonElement>($"/api/v1/applications/{a}/deliveries?subscription_id={subscriptionId}")).GetProperty("items"),
            items => items.GetArrayLength() == 1);
        var deliveryId = delivery[0].GetProperty("id").GetString();
        var link = await (await asA.PostAsJsonAsync($"/api/v1/applications/{a}/portal-links", new { })).Content.ReadFromJsonAsync<JsonElement>();
        var keyId = Guid.NewGuid();

        var routes = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Get, "", null),
            (HttpMethod.Get, "/subscriptions", null),
            (HttpMethod.Post, "/subscriptions", new { url = Receiver.Url("x"), events = new[] { "order.created" } }),
            (HttpMethod.Get, $"/subscriptions/{subscriptionId}", null),
            (HttpMethod.Put, $"/subscriptions/{subscriptionId}", new { description = "taken over" }),
            (HttpMethod.Delete, $"/subscriptions/{subscriptionId}", null),
            (HttpMethod.Post, $"/subscriptions/{subscriptionId}/test", new { }),
            (HttpMethod.Get, $"/subscriptions/{subscriptionId}/logs", null),
            (HttpMethod.Post, $"/subscriptions/{subscriptionId}/secret/rotate", new { }),
            (HttpMethod.Post, $"/subscriptions/{subscriptionId}/replay", new { }),
            (HttpMethod.Post, $"/subscriptions/{subscriptionId}/filter/test", new { }),
            (HttpMethod.Get, "/deliveries", null),
            (HttpMethod.Get, $"/deliveries/{deliveryId}", null),
            (HttpMethod.Post, $"/deliveries/{deliveryId}/retry", null),
            (HttpMethod.Post, $"/deliveries/{deliveryId}/archive", null),
            (HttpMethod.Post, "/deliveries/retry", new { }),
            (HttpMethod.Post, "/events", new { type = "order.created", data = new { n = 2 } }),
            (HttpMethod.Post, "/portal-links", new { }),
            (HttpMethod.Delete, $"/portal-links/{link.GetProperty("id").GetString()}", null),
            (HttpMethod.Post, "/keys", new { name = "stolen" }),
            (HttpMethod.Delete, $"/keys/{keyId}", null),
        };

        using var asB = app.WithKey(keyOfB);
        foreach (var application in new[] { a, aUid })
        {
            foreach (var (method, path, body) in routes)
            {
                using var request = new HttpRequestMessage(method, $"/api/v1/applications/{application}{path}");
                if (body is not null)
                {
                    request.Content = JsonContent.Create(body);
                }

                using var response = await asB.SendAsync(request);
                ((int)response.StatusCode).Should().Be(403, $"{method} /api/v1/applications/{{A}}{path} with B's key: {await response.Content.ReadAsStringAsync()}");
            }
        }

        // The operators' routes are not for application keys either.
        (await asB.GetAsync("/api/v1/subscriptions")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await asB.GetAsync("/api/v1/deliveries")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await asB.GetAsync("/api/v1/applications")).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        // 84 refusals later, A's data is untouched and a wrong key from this address is still a plain 401.
        (await asA.GetFromJsonAsync<JsonElement>($"/api/v1/applications/{a}/subscriptions/{subscriptionId}")).GetProperty("description").ValueKind.Should().Be(JsonValueKind.Null);
        using var wrong = app.WithKey("whk_" + new string('A', 43));
        (await wrong.GetAsync($"/api/v1/applications/{a}/subscriptions")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AnEvent_ReachesTheSubscriptionsOfTheApplicationItWasPublishedTo_Only()
    {
        using var admin = app.CreateAdminClient();
        var (a, _) = await admin.CreateApplicationAsync();
        var (b, bUid) = await admin.CreateApplicationAsync();
        var type = DeliveryClient.Unique("tenant") + ".created";
        string inA = DeliveryClient.Unique("in-a-"), inB = DeliveryClient.Unique("in-b-"), inDefault = DeliveryClient.Unique("in-default-");
        using var asA = app.WithKey(await admin.CreateKeyAsync(a));
        (await asA.PostAsJsonAsync($"/api/v1/applications/{a}/subscriptions", new { url = Receiver.Url(inA), events = new[] { type } })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/subscriptions", new { url = Receiver.Url(inB), events = new[] { type }, application_id = bUid })).EnsureSuccessStatusCode();
        await admin.SubscribeAsync(Receiver.Url(inDefault), [type]);

        (await asA.PostAsJsonAsync($"/api/v1/applications/{a}/events", new { type, data = new { to = "a" } })).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await app.CreateClient().PublishAsync(type, new { to = "default" });
        await PublishOnAmqpAsync(type, bUid, new { to = "b" });

        await Eventually.GetAsync(() => Task.FromResult(Receiver.At(inA).Count + Receiver.At(inB).Count + Receiver.At(inDefault).Count), n => n >= 3, TimeSpan.FromSeconds(20));
        // Each event reached a receiver, so each was fanned out, and a fan-out writes all its deliveries at once: the
        // rows are final. One per subscription means nothing crossed applications.
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE event_type = $1", type)).Should().Be(3);
        Receiver.At(inA).Select(r => r.Json.GetProperty("data").GetProperty("to").GetString()).Should().Equal("a");
        Receiver.At(inB).Select(r => r.Json.GetProperty("data").GetProperty("to").GetString()).Should().Equal("b");
        Receiver.At(inDefault).Select(r => r.Json.GetProperty("data").GetProperty("to").GetString()).Should().Equal("default");
    }

    [Fact]
    public async Task OnlyAnOperatorsKey_MakesASubscriptionReceiveInboundWebhooksOrTheGatewaysEvents()
    {
        using var admin = app.CreateAdminClient();
        var (a, _) = await admin.CreateApplicationAsync();
        using var asA = app.WithKey(await admin.CreateKeyAsync(a));
        var url = Receiver.Url(DeliveryClient.Unique("gw-"));

        var inbound = await asA.PostAsJsonAsync($"/api/v1/applications/{a}/subscriptions", new { url, events = new[] { "evt.webhook.order.*" }, include_inbound = true });
        (await inbound.ProblemAsync(403)).GetProperty("detail").GetString().Should().Contain("include_inbound");
        var gateway = await asA.PostAsJsonAsync($"/api/v1/applications/{a}/subscriptions", new { url, events = new[] { "evt.gateway.*" } });
        (await gateway.ProblemAsync(403)).GetProperty("detail").GetString().Should().Contain("evt.gateway.*");
        var plain = await (await asA.PostAsJsonAsync($"/api/v1/applications/{a}/subscriptions", new { url, events = new[] { "order.*" } })).Content.ReadFromJsonAsync<JsonElement>();
        (await asA.PutAsJsonAsync($"/api/v1/applications/{a}/subscriptions/{plain.GetProperty("id").GetString()}", new { events = new[] { "evt.gateway.alert.opened" } }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);

        (await admin.PostAsJsonAsync($"/api/v1/applications/{a}/subscriptions", new { url, events = new[] { "evt.gateway.*" } })).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task AFilter_ChoosesOnWhatTheEventCarries_AndItsDryRunSaysWhatItWouldLetThrough()
    {
        using var admin = app.CreateAdminClient();
        var (a, _) = await admin.CreateApplicationAsync();
        using var asA = app.WithKey(await admin.CreateKeyAsync(a));
        var type = DeliveryClient.Unique("filtered") + ".paid";
        var endpoint = DeliveryClient.Unique("big-");
        var created = await asA.PostAsJsonAsync($"/api/v1/applications/{a}/subscriptions", new
        {
            url = Receiver.Url(endpoint),
            events = new[] { type },
            filter = new Dictionary<string, object> { ["data.amount"] = new Dictionary<string, object> { ["$gte"] = 100 }, ["data.currency"] = new Dictionary<string, object> { ["$in"] = new[] { "usd", "eur" } } },
        });
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var subscription = await created.Content.ReadFromJsonAsync<JsonElement>();
        subscription.GetProperty("filter").GetProperty("data.amount").GetProperty("$gte").GetInt32().Should().Be(100);
        var id = subscription.GetProperty("id").GetString();

        var ids = new List<string>();
        foreach (var (amount, currency) in new[] { (50, "usd"), (150, "usd"), (500, "gbp"), (1000, "eur") })
        {
            var published = await (await asA.PostAsJsonAsync($"/api/v1/applications/{a}/events", new { type, data = new { amount, currency } })).Content.ReadFromJsonAsync<JsonElement>();
            published.GetProperty("subscriptions").GetInt32().Should().Be(amount is 150 or 1000 ? 1 : 0, $"{amount} {currency}");
            ids.Add(published.GetProperty("id").GetString()!);
        }

        var delivered = await Eventually.GetAsync(() => Task.FromResult(Receiver.At(endpoint)), r => r.Count == 2);
        delivered.Select(r => r.Json.GetProperty("data").GetProperty("amount").GetInt32()).Should().BeEquivalentTo([150, 1000]);

        var own = await (await asA.PostAsJsonAsync($"/api/v1/applications/{a}/subscriptions/{id}/filter/test", new { })).Content.ReadFromJsonAsync<JsonElement>();
        own.GetProperty("tested").GetInt32().Should().Be(4);
        own.GetProperty("matched").EnumerateArray().Select(m => m.GetString()).Should().BeEquivalentTo([ids[1], ids[3]]);
        var other = await (await asA.PostAsJsonAsync($"/api/v1/applications/{a}/subscriptions/{id}/filter/test",
            new { filter = new Dictionary<string, object> { ["data.currency"] = "gbp" }, limit = 10 })).Content.ReadFromJsonAsync<JsonElement>();
        other.GetProperty("matched").EnumerateArray().Select(m => m.GetString()).Should().Equal(ids[2]);
        Receiver.At(endpoint).Should().HaveCount(2, "a dry run sends nothing");
    }

    [Theory]
    [InlineData("""{"amount": 1}""", "'amount' is not a path into the event")]
    [InlineData("""{"data.amount": {"$between": [1, 2]}}""", "'$between' at 'data.amount' is not an operator")]
    [InlineData("""{"data.amount": {"$in": 3}}""", "takes an array")]
    [InlineData("""{"$or": []}""", "must be a non-empty array")]
    [InlineData("""[1]""", "must be a JSON object")]
    [InlineData("""{"data.x": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}""", "deeper than 24 levels")]
    [InlineData("""{"data.a": 1, "data.a": 2}""", "appears twice")]
    public async Task AnInvalidFilter_Is400_NamingTheProblem(string filter, string problem)
    {
        using var admin = app.CreateAdminClient();
        using var content = new StringContent($$"""{"url":"{{Receiver.Url("f")}}","events":["order.created"],"filter":{{filter}}}""", System.Text.Encoding.UTF8, "application/json");
        var response = await admin.PostAsync("/api/v1/subscriptions", content);

        (await response.ProblemAsync(400)).GetProperty("detail").GetString().Should().Contain(problem);
    }

    /// <summary>Another application's key learns nothing of a route's rules: an invalid body is refused 403, not 400 with details.</summary>
    [Fact]
    public async Task AnotherApplicationsKey_Gets403_BeforeItsBodyIsValidated()
    {
        using var admin = app.CreateAdminClient();
        var (a, _) = await admin.CreateApplicationAsync();
        var (b, _) = await admin.CreateApplicationAsync();
        using var asB = app.WithKey(await admin.CreateKeyAsync(b));

        using var invalid = await asB.PostAsJsonAsync($"/api/v1/applications/{a}/subscriptions", new { url = "not a url", events = Array.Empty<string>() });

        (await invalid.ProblemAsync(403)).GetProperty("detail").GetString().Should().NotContain("url");
    }

    /// <summary>
    /// An event id is idempotent within its application only: another application publishing an id already taken gets
    /// 409, not the first application's fan-out as a "duplicate" (which would silence its event), and the first
    /// application's repeat is still answered as its duplicate.
    /// </summary>
    [Fact]
    public async Task AnEventIdOfAnotherApplication_Is409_NotADuplicateThatSilencesTheEvent()
    {
        using var admin = app.CreateAdminClient();
        var (a, _) = await admin.CreateApplicationAsync();
        var (b, _) = await admin.CreateApplicationAsync();
        using var asA = app.WithKey(await admin.CreateKeyAsync(a));
        using var asB = app.WithKey(await admin.CreateKeyAsync(b));
        var id = "order-" + Guid.NewGuid().ToString("N")[..8];

        using var first = await asA.PostAsJsonAsync($"/api/v1/applications/{a}/events", new { id, type = "order.created", data = new { n = 1 } });
        using var taken = await asB.PostAsJsonAsync($"/api/v1/applications/{b}/events", new { id, type = "order.created", data = new { n = 2 } });
        using var again = await asA.PostAsJsonAsync($"/api/v1/applications/{a}/events", new { id, type = "order.created", data = new { n = 1 } });

        first.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await taken.ProblemAsync(409)).GetProperty("detail").GetString().Should().Contain("already taken");
        (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicate").GetBoolean().Should().BeTrue();
    }

    private static async Task PublishOnAmqpAsync(string type, string application, object data)
    {
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(TestServices.RabbitMq) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync("webhooks.outbound", RabbitMQ.Client.ExchangeType.Topic, durable: true, autoDelete: false);
        var id = "evt_" + Guid.NewGuid().ToString("N");
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["specversion"] = "1.0", ["id"] = id, ["type"] = type, ["source"] = "/tests", ["applicationid"] = application, ["data"] = data });
        await channel.BasicPublishAsync("webhooks.outbound", type, mandatory: false, new RabbitMQ.Client.BasicProperties { MessageId = id, Persistent = true, ContentType = "application/cloudevents+json" }, body);
    }
}
