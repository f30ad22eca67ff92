using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Webhooks.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Webhooks.IntegrationTests;

/// <summary>The service with a loopback receiver for subscribers' endpoints, started before it and stopped after it.</summary>
public abstract class WithReceiverApp : WebhooksApp
{
    public WebhookReceiver? Receiver { get; private set; }

    public override async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Receiver is not null)
        {
            await Receiver.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>Outbound delivery with private destinations allowed (the receivers are on loopback) and a fast retry schedule.</summary>
public sealed class DeliveryApp : WithReceiverApp
{
    /// <summary>
    /// This class's own events exchange: its inbound-delivery queue binds '#', and on webhooks.events it would also
    /// take every other test class's events and hold this class's behind thousands of them.
    /// </summary>
    public string Exchange { get; } = "test.events." + Guid.NewGuid().ToString("N")[..12];

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Webhooks:Relay:Exchange"] = Exchange,
        ["Webhooks:Delivery:AllowPrivateNetworks"] = "true",
        ["Webhooks:Delivery:AllowHttp"] = "true",
        ["Webhooks:Delivery:RetrySchedule:0"] = "00:00:00.200",
        ["Webhooks:Delivery:RetrySchedule:1"] = "00:00:00.300",
        ["Webhooks:Delivery:RetrySchedule:2"] = "00:00:00.400",
        ["Webhooks:Delivery:PublisherKeys:0"] = DeliveryClient.PublisherKey,
        ["Webhooks:Delivery:BreakerFailures"] = "1000",
        ["Webhooks:Delivery:MaxConcurrencyPerEndpoint"] = "8",
        ["Webhooks:Delivery:ConsumeInboundEvents"] = "true",
        ["Webhooks:Delivery:MaxEventBytes"] = "65536",

        // A generic HMAC source, whose event types a test can make its own (other classes' events share the broker).
        ["Webhooks:Sources:typed:Provider"] = "hmac",
        ["Webhooks:Sources:typed:Secrets:0"] = ShopifySecret,
        ["Webhooks:Sources:typed:SignatureHeader"] = "X-Signature",
        ["Webhooks:Sources:typed:EventTypeHeader"] = "X-Event-Type",
    };
}

internal static class DeliveryClient
{
    public const string PublisherKey = "publisher-key-for-tests-0001-abcdefghijk";

    public static async Task<JsonElement> SubscribeAsync(this HttpClient admin, string url, string[] events, object? extra = null)
    {
        var body = JsonSerializer.SerializeToElement(new { url, events }).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);
        foreach (var p in extra is null ? [] : JsonSerializer.SerializeToElement(extra).EnumerateObject())
        {
            body[p.Name] = p.Value;
        }

        var response = await admin.PostAsJsonAsync("/api/v1/subscriptions", body);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement> PublishAsync(this HttpClient client, string type, object data, string? id = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events") { Content = JsonContent.Create(new { type, data, id }) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", PublisherKey);
        var response = await client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<List<JsonElement>> LogsAsync(this HttpClient admin, JsonElement subscription) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/subscriptions/{subscription.GetProperty("id").GetString()}/logs")).GetProperty("items").EnumerateArray().ToList();

    public static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..10];
}

public sealed class DeliveryTests(DeliveryApp app, ITestOutputHelper output) : IClassFixture<DeliveryApp>
{
    private WebhookReceiver Receiver => app.Receiver!;

    /// <summary>
    /// A claim a dead worker leaves behind holds one of its endpoint's slots until it lapses, so it must not outlast
    /// the request it was taken for by much: it once lasted 6 minutes whatever the subscription's timeout, and a few
    /// such claims kept an idle endpoint from getting anything (found by the chaos test).
    /// </summary>
    [Fact]
    public async Task AClaim_LastsTheSubscriptionsTimeoutAndAMinute_NotSixMinutes()
    {
        using var admin = app.CreateAdminClient();
        var endpoint = DeliveryClient.Unique("hang-");
        var type = DeliveryClient.Unique("lease") + ".claimed";
        var subscription = await admin.SubscribeAsync(Receiver.Url(endpoint), [type], new { timeout_seconds = 5 });
        var id = Guid.Parse(subscription.GetProperty("id").GetString()!);

        await app.CreateClient().PublishAsync(type, new { n = 1 });

        var lease = await Eventually.GetAsync<double?>(
            () => app.Database.ScalarAsync<double?>(
                "SELECT extract(epoch FROM claimed_until - now())::float8 FROM deliveries WHERE subscription_id = $1 AND claimed_by IS NOT NULL", id),
            l => l is not null, TimeSpan.FromSeconds(20), "the hanging endpoint's delivery is claimed");
        lease!.Value.Should().BeInRange(50, 66, "a 5 s timeout and 60 s to record the result, counted from the claim");
    }

    /// <summary>
    /// Contract v3, Operations: stored JSON at any depth the intake accepts is read back at that depth, and no failure
    /// in a background loop stops the process (an event nested deeper than the reader's default once stopped every instance).
    /// </summary>
    [Fact]
    public async Task DeeplyNestedEvent_AcceptedByTheApi_IsDelivered_AndTheServiceKeepsDelivering()
    {
        using var admin = app.CreateAdminClient();
        var endpoint = DeliveryClient.Unique("deep-");
        var type = DeliveryClient.Unique("deep") + ".nested";
        await admin.SubscribeAsync(Receiver.Url(endpoint), [type]);

        const int depth = 200;
        var data = string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events")
        {
            Content = new StringContent($$"""{"type":"{{type}}","data":{{data}}}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", DeliveryClient.PublisherKey);
        using var client = app.CreateClient();
        (await client.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.Accepted);

        var delivered = (await Eventually.GetAsync(() => Task.FromResult(Receiver.At(endpoint)), r => r.Count > 0, TimeSpan.FromSeconds(20))).Single();
        System.Text.Encoding.UTF8.GetString(delivered.Body).Should().Contain(data, "the whole nested event is sent");

        await client.PublishAsync(type, new { after = true });
        await Eventually.GetAsync(() => Task.FromResult(Receiver.At(endpoint)), r => r.Count == 2, TimeSpan.FromSeconds(20), "the worker goes on delivering");
        (await client.GetAsync("/api/v1/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task CustomHeaders_AreStoredEncrypted_AndShownMasked_ButSentInFull()
    {
        using var admin = app.CreateAdminClient();
        var endpoint = DeliveryClient.Unique("hdr-");
        var type = DeliveryClient.Unique("order") + ".created";
        const string credential = "Bearer receiver-credential-0123456789";
        var subscription = await admin.SubscribeAsync(Receiver.Url(endpoint), [type], new { headers = new Dictionary<string, string> { ["Authorization"] = credential } });
        var id = subscription.GetProperty("id").GetString()!;

        subscription.GetProperty("headers").GetProperty("Authorization").GetString().Should().Be("…6789");
        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/v1/subscriptions?limit=100");
        listed.GetRawText().Should().NotContain("receiver-credential");
        (await app.Database.ScalarAsync<string>("SELECT headers::text FROM subscriptions WHERE id = $1", Guid.Parse(id)))
            .Should().NotContain("receiver-credential", "the column holds the protected form");

        await app.CreateClient().PublishAsync(type, new { order_id = 7 });
        var request = (await Eventually.GetAsync(() => Task.FromResult(Receiver.At(endpoint)), r => r.Count > 0)).Single();
        request.Header("authorization").Should().Be(credential, "the receiver gets the header as configured");
    }

    [Fact]
    public async Task Event_IsDeliveredSigned_PerStandardWebhooks_WithTheContractsEnvelope()
    {
        using var admin = app.CreateAdminClient();
        var endpoint = DeliveryClient.Unique("ok-");
        var type = DeliveryClient.Unique("order") + ".created";
        var subscription = await admin.SubscribeAsync(Receiver.Url(endpoint), [type], new { headers = new Dictionary<string, string> { ["X-Team"] = "billing" } });
        var secret = subscription.GetProperty("secret").GetString()!;
        secret.Should().StartWith("whsec_");

        var published = await app.CreateClient().PublishAsync(type, new { order_id = 42 });
        published.GetProperty("subscriptions").GetInt32().Should().Be(1);

        var request = (await Eventually.GetAsync(() => Task.FromResult(Receiver.At(endpoint)), r => r.Count > 0)).Single();
        request.VerifiesWith(secret).Should().BeTrue("the receiver checks the signature with the Standard Webhooks algorithm");
        request.VerifiesWith("whsec_" + Convert.ToBase64String(new byte[32])).Should().BeFalse();
        request.Header("content-type").Should().StartWith("application/json");
        request.Header("user-agent").Should().StartWith("Webhooks/");
        request.Header("x-team").Should().Be("billing");
        var body = request.Json;
        body.GetProperty("id").GetString().Should().Be(request.Header("webhook-id"));
        body.GetProperty("event").GetString().Should().Be(type);
        body.GetProperty("webhook_id").GetString().Should().Be(subscription.GetProperty("id").GetString());
        body.GetProperty("attempt").GetInt32().Should().Be(1);
        body.GetProperty("data").GetProperty("order_id").GetInt32().Should().Be(42);
        body.TryGetProperty("timestamp", out _).Should().BeTrue();

        var logs = await Eventually.GetAsync(() => admin.LogsAsync(subscription), l => l.Count > 0);
        logs.Single().GetProperty("status_code").GetInt32().Should().Be(200);
        logs.Single().GetProperty("response_body").GetString().Should().Be("thanks");
        var after = await Eventually.GetAsync(() => admin.GetFromJsonAsync<JsonElement>($"/api/v1/subscriptions/{subscription.GetProperty("id").GetString()}"), s => s.GetProperty("success_count").GetInt64() == 1);
        after.TryGetProperty("secret", out var shown).Should().BeTrue();
        shown.ValueKind.Should().Be(JsonValueKind.Null, "the secret is returned once, at creation");
    }

    [Fact]
    public async Task ServerErrors_AreRetriedOnTheSchedule_WithTheSameId_UntilSuccess()
    {
        using var admin = app.CreateAdminClient();
        var endpoint = DeliveryClient.Unique("fail-2-");
        var type = DeliveryClient.Unique("retry") + ".tested";
        var subscription = await admin.SubscribeAsync(Receiver.Url(endpoint), [type]);
        await app.CreateClient().PublishAsync(type, new { n = 1 });

        var requests = await Eventually.GetAsync(() => Task.FromResult(Receiver.At(endpoint)), r => r.Count >= 3, TimeSpan.FromSeconds(20));
        requests.Select(r => r.Json.GetProperty("attempt").GetInt32()).Should().Equal(1, 2, 3);
        requests.Select(r => r.Header("webhook-id")).Distinct().Should().ContainSingle("the message id stays the same across retries");
        (requests[1].At - requests[0].At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(150), "the first retry waits its delay (200 ms -10 %)");
        var logs = await Eventually.GetAsync(() => admin.LogsAsync(subscription), l => l.Count >= 3);
        logs.Select(l => l.GetProperty("status_code").GetInt32()).Should().Equal(200, 500, 500);
        logs[1].GetProperty("response_body").GetString().Should().Be("upstream exploded");
        await Task.Delay(1000);
        Receiver.At(endpoint).Should().HaveCount(3, "nothing is sent after the success");
    }

    [Fact]
    public async Task AResponseBodyCutThroughAnEmoji_IsLogged_AndRecordingGoesOnForEveryone()
    {
        using var admin = app.CreateAdminClient();
        var emoji = DeliveryClient.Unique("emoji-");
        var healthy = DeliveryClient.Unique("ok-");
        var type = DeliveryClient.Unique("cut") + ".tested";
        var cut = await admin.SubscribeAsync(Receiver.Url(emoji), [type]);
        var other = await admin.SubscribeAsync(Receiver.Url(healthy), [type]);
        await app.CreateClient().PublishAsync(type, new { n = 1 });

        var logs = await Eventually.GetAsync(() => admin.LogsAsync(cut), l => l.Count >= 2, TimeSpan.FromSeconds(20));
        logs.Select(l => l.GetProperty("status_code").GetInt32()).Should().Equal(200, 500);
        logs[1].GetProperty("response_body").GetString().Should().Be(new string('a', 999), "cut before the emoji, never through it");

        // The recorder is still recording: later events reach both endpoints and are logged.
        await app.CreateClient().PublishAsync(type, new { n = 2 });
        (await Eventually.GetAsync(() => admin.LogsAsync(other), l => l.Count >= 2, TimeSpan.FromSeconds(20))).Should().HaveCount(2);
        (await Eventually.GetAsync(() => admin.LogsAsync(cut), l => l.Count >= 3, TimeSpan.FromSeconds(20))).Should().HaveCount(3);
    }

    [Fact]
    public async Task ClientError_IsNotRetried_AndRetriesStopAtRetryCount()
    {
        using var admin = app.CreateAdminClient();
        var bad = DeliveryClient.Unique("status-400-");
        var down = DeliveryClient.Unique("status-503-");
        var type = DeliveryClient.Unique("limits") + ".tested";
        await admin.SubscribeAsync(Receiver.Url(bad), [type]);
        var retried = await admin.SubscribeAsync(Receiver.Url(down), [type], new { retry_count = 2 });
        await app.CreateClient().PublishAsync(type, new { n = 1 });

        await Eventually.GetAsync(() => Task.FromResult(Receiver.At(down)), r => r.Count >= 3, TimeSpan.FromSeconds(20));
        await Task.Delay(1500);
        Receiver.At(bad).Should().ContainSingle("a 4xx other than 408, 410 and 429 is not retried");
        Receiver.At(down).Should().HaveCount(3, "retry_count 2 means the first attempt and two retries");
        (await app.Database.ScalarAsync<string>("SELECT status FROM deliveries WHERE subscription_id = $1", Guid.Parse(retried.GetProperty("id").GetString()!)))
            .Should().Be("dead", "after the last attempt the delivery is a dead letter");
    }

    [Fact]
    public async Task Gone410_DisablesTheSubscription_AndPublishesTheOperationalEvent()
    {
        await using var events = await EventCollector.StartAsync(app.Exchange);
        using var admin = app.CreateAdminClient();
        var endpoint = DeliveryClient.Unique("status-410-");
        var type = DeliveryClient.Unique("gone") + ".tested";
        var subscription = await admin.SubscribeAsync(Receiver.Url(endpoint), [type]);
        var id = subscription.GetProperty("id").GetString()!;
        await app.CreateClient().PublishAsync(type, new { n = 1 });

        var disabled = await Eventually.GetAsync(() => admin.GetFromJsonAsync<JsonElement>($"/api/v1/subscriptions/{id}"), s => !s.GetProperty("is_active").GetBoolean());
        disabled.GetProperty("disabled_reason").GetString().Should().Contain("410");
        var operational = await Eventually.GetAsync(
            () => events.Received.Where(e => e.RoutingKey == "evt.gateway.subscription.disabled" && e.Json.GetProperty("source").GetString() == $"/subscriptions/{id}").ToList(),
            e => e.Count > 0);
        operational.Should().ContainSingle().Which.Json.GetProperty("data").GetProperty("reason").GetString().Should().Contain("410");

        await app.CreateClient().PublishAsync(type, new { n = 2 });
        await Task.Delay(500);
        Receiver.At(endpoint).Should().ContainSingle("a disabled subscription gets nothing");
    }

    [Fact]
    public async Task RetryAfter_IsHonoured()
    {
        using var admin = app.CreateAdminClient();
        var endpoint = DeliveryClient.Unique("retry-after-");
        var type = DeliveryClient.Unique("throttle") + ".tested";
        await admin.SubscribeAsync(Receiver.Url(endpoint), [type]);
        await app.CreateClient().PublishAsync(type, new { n = 1 });

        var requests = await Eventually.GetAsync(() => Task.FromResult(Receiver.At(endpoint)), r => r.Count >= 2, TimeSpan.FromSeconds(15));
        (requests[1].At - requests[0].At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.9), "Retry-After: 2 outweighs the 200 ms schedule");
    }

    [Fact]
    public async Task HangingEndpoint_TimesOut_WhileAHealthyOneKeepsReceivingWithoutDelay()
    {
        using var admin = app.CreateAdminClient();
        var hang = DeliveryClient.Unique("hang-");
        var healthy = DeliveryClient.Unique("ok-");
        var type = DeliveryClient.Unique("isolation") + ".tested";
        var slow = await admin.SubscribeAsync(Receiver.Url(hang), [type], new { timeout_seconds = 8, retry_count = 0 });
        await admin.SubscribeAsync(Receiver.Url(healthy), [type]);

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            await app.CreateClient().PublishAsync(type, new { n = i });
        }

        await Eventually.GetAsync(() => Task.FromResult(Receiver.At(healthy)), r => r.Count >= 20, TimeSpan.FromSeconds(10));
        var healthyDone = clock.Elapsed;
        output.WriteLine($"healthy endpoint got 20 events in {healthyDone.TotalMilliseconds:0} ms while the other hung");
        (await admin.LogsAsync(slow)).Should().BeEmpty("the healthy endpoint got everything before the hanging one's first attempt even timed out");

        var logs = await Eventually.GetAsync(() => admin.LogsAsync(slow), l => l.Count > 0, TimeSpan.FromSeconds(20));
        logs[0].GetProperty("error").GetString().Should().Contain("timed out after 8 s");
        logs[0].GetProperty("status_code").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task OneEvent_ThreeMatchingSubscriptions_AndOneNot_MakeExactlyThreeDeliveries()
    {
        using var admin = app.CreateAdminClient();
        var prefix = DeliveryClient.Unique("fan");
        var endpoints = Enumerable.Range(0, 4).Select(i => DeliveryClient.Unique($"ok-{i}-")).ToArray();
        await admin.SubscribeAsync(Receiver.Url(endpoints[0]), [$"{prefix}.order.created"]);
        await admin.SubscribeAsync(Receiver.Url(endpoints[1]), [$"{prefix}.order.*"]);
        await admin.SubscribeAsync(Receiver.Url(endpoints[2]), [$"{prefix}.*", "other.thing"]);
        await admin.SubscribeAsync(Receiver.Url(endpoints[3]), [$"{prefix}.order.deleted", $"{prefix}x.*"]);

        var published = await app.CreateClient().PublishAsync($"{prefix}.order.created", new { n = 1 });
        published.GetProperty("subscriptions").GetInt32().Should().Be(3);

        await Eventually.GetAsync(() => Task.FromResult(endpoints.Take(3).Sum(e => Receiver.At(e).Count)), n => n >= 3);
        await Task.Delay(500);
        endpoints.Take(3).Should().OnlyContain(e => Receiver.At(e).Count == 1);
        Receiver.At(endpoints[3]).Should().BeEmpty();
    }

    [Fact]
    public async Task SameEventIdTwice_OverHttp_FansOutOnce()
    {
        using var admin = app.CreateAdminClient();
        var endpoint = DeliveryClient.Unique("ok-");
        var type = DeliveryClient.Unique("idem") + ".tested";
        await admin.SubscribeAsync(Receiver.Url(endpoint), [type]);
        var id = DeliveryClient.Unique("evt_");

        var first = await app.CreateClient().PublishAsync(type, new { n = 1 }, id);
        var second = await app.CreateClient().PublishAsync(type, new { n = 1 }, id);

        first.GetProperty("id").GetString().Should().Be(id);
        second.GetProperty("duplicate").GetBoolean().Should().BeTrue();
        second.GetProperty("subscriptions").GetInt32().Should().Be(1);
        await Eventually.GetAsync(() => Task.FromResult(Receiver.At(endpoint)), r => r.Count > 0);
        await Task.Delay(500);
        Receiver.At(endpoint).Should().ContainSingle();
    }

    [Fact]
    public async Task SameMessageIdTwice_OverRabbitMq_FansOutOnce()
    {
        using var admin = app.CreateAdminClient();
        var endpoint = DeliveryClient.Unique("ok-");
        var type = DeliveryClient.Unique("amqp") + ".tested";
        await admin.SubscribeAsync(Receiver.Url(endpoint), [type]);
        var messageId = Guid.NewGuid();
        var cloudEvent = JsonSerializer.SerializeToUtf8Bytes(new { specversion = "1.0", id = messageId.ToString(), source = "/billing", type, data = new { invoice = 7 } });

        await OutboundPublisher.PublishTwiceAsync(cloudEvent, messageId.ToString(), type);

        var received = await Eventually.GetAsync(() => Task.FromResult(Receiver.At(endpoint)), r => r.Count > 0, TimeSpan.FromSeconds(20));
        await Task.Delay(1000);
        Receiver.At(endpoint).Should().ContainSingle("the second copy has the same message id");
        received[0].Json.GetProperty("data").GetProperty("invoice").GetInt32().Should().Be(7);
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM outbound_events WHERE id = $1 AND origin = 'amqp'", messageId.ToString())).Should().Be(1);
    }

    /// <summary>Contract v3, Operations: Webhooks:Delivery:MaxEventBytes bounds both ways in.</summary>
    [Fact]
    public async Task EventOverMaxEventBytes_IsAnswered413OverHttp_AndDroppedOverRabbitMq()
    {
        using var admin = app.CreateAdminClient();
        var endpoint = DeliveryClient.Unique("big-");
        var type = DeliveryClient.Unique("big") + ".tested";
        await admin.SubscribeAsync(Receiver.Url(endpoint), [type]);
        var pad = new string('x', 70_000);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events") { Content = JsonContent.Create(new { type, data = new { pad } }) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", DeliveryClient.PublisherKey);
        var answer = await app.CreateClient().SendAsync(request);
        answer.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await answer.Content.ReadAsStringAsync()).Should().Contain("65536");

        var big = Guid.NewGuid();
        var small = Guid.NewGuid();
        await OutboundPublisher.PublishTwiceAsync(JsonSerializer.SerializeToUtf8Bytes(new { specversion = "1.0", id = big.ToString(), source = "/billing", type, data = new { pad } }), big.ToString(), type);
        await OutboundPublisher.PublishTwiceAsync(JsonSerializer.SerializeToUtf8Bytes(new { specversion = "1.0", id = small.ToString(), source = "/billing", type, data = new { n = 1 } }), small.ToString(), type);

        await Eventually.GetAsync(() => Task.FromResult(Receiver.At(endpoint)), r => r.Count > 0, TimeSpan.FromSeconds(20), "the small event behind the large one is delivered");
        Receiver.At(endpoint).Should().ContainSingle().Which.Json.GetProperty("data").GetProperty("n").GetInt32().Should().Be(1);
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM outbound_events WHERE id = $1", big.ToString())).Should().Be(0);
    }

    [Fact]
    public async Task DuringARotation_BothSignaturesAreSent_AndEitherVerifies()
    {
        using var admin = app.CreateAdminClient();
        var endpoint = DeliveryClient.Unique("ok-");
        var type = DeliveryClient.Unique("rotate") + ".tested";
        var subscription = await admin.SubscribeAsync(Receiver.Url(endpoint), [type]);
        var oldSecret = subscription.GetProperty("secret").GetString()!;
        var rotated = await (await admin.PostAsJsonAsync($"/api/v1/subscriptions/{subscription.GetProperty("id").GetString()}/secret/rotate", new { expire_previous_after_seconds = 3600 }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var newSecret = rotated.GetProperty("secret").GetString()!;
        newSecret.Should().NotBe(oldSecret);

        await app.CreateClient().PublishAsync(type, new { n = 1 });

        var request = (await Eventually.GetAsync(() => Task.FromResult(Receiver.At(endpoint)), r => r.Count > 0)).Single();
        request.Header("webhook-signature")!.Split(' ').Should().HaveCount(2);
        request.VerifiesWith(oldSecret).Should().BeTrue();
        request.VerifiesWith(newSecret).Should().BeTrue();
    }

    [Fact]
    public async Task TwoRotationsAtOnce_LeaveOneSecretWithoutExpiry()
    {
        using var admin = app.CreateAdminClient();
        var subscription = await admin.SubscribeAsync(Receiver.Url(DeliveryClient.Unique("ok-")), [DeliveryClient.Unique("race") + ".tested"]);
        var id = subscription.GetProperty("id").GetString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            admin.PostAsJsonAsync($"/api/v1/subscriptions/{id}/secret/rotate", new { expire_previous_after_seconds = 3600 })));

        answers.Should().OnlyContain(a => a.IsSuccessStatusCode);
        var secrets = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/subscriptions/{id}")).GetProperty("secrets").EnumerateArray().ToList();
        secrets.Should().HaveCount(5);
        secrets.Where(s => s.GetProperty("expires_at").ValueKind == JsonValueKind.Null).Should()
            .ContainSingle("each rotation, applied one after the other, gives every earlier secret an expiry");
    }

    [Fact]
    public async Task TestSend_MakesARealLoggedRequest_EvenWhileInactive()
    {
        using var admin = app.CreateAdminClient();
        var endpoint = DeliveryClient.Unique("ok-");
        var subscription = await admin.SubscribeAsync(Receiver.Url(endpoint), ["anything.*"], new { is_active = false });
        var id = subscription.GetProperty("id").GetString();

        var result = await (await admin.PostAsJsonAsync($"/api/v1/subscriptions/{id}/test", new { @event = "anything.tested", payload = new { hello = "world" } }))
            .Content.ReadFromJsonAsync<JsonElement>();

        result.GetProperty("success").GetBoolean().Should().BeTrue();
        result.GetProperty("status_code").GetInt32().Should().Be(200);
        result.GetProperty("response_body").GetString().Should().Be("thanks");
        Receiver.At(endpoint).Single().Json.GetProperty("data").GetProperty("hello").GetString().Should().Be("world");
        (await admin.LogsAsync(subscription)).Single().GetProperty("event").GetString().Should().Be("anything.tested");
    }

    [Fact]
    public async Task ReEnabling_ReplaysWhatItMissedWhileDisabled()
    {
        using var admin = app.CreateAdminClient();
        var endpoint = DeliveryClient.Unique("ok-");
        var type = DeliveryClient.Unique("missed") + ".tested";
        var subscription = await admin.SubscribeAsync(Receiver.Url(endpoint), [type]);
        var id = subscription.GetProperty("id").GetString();
        (await admin.PutAsJsonAsync($"/api/v1/subscriptions/{id}", new { is_active = false })).EnsureSuccessStatusCode();
        for (var i = 0; i < 3; i++)
        {
            (await app.CreateClient().PublishAsync(type, new { n = i })).GetProperty("subscriptions").GetInt32().Should().Be(0);
        }

        (await admin.PutAsJsonAsync($"/api/v1/subscriptions/{id}", new { is_active = true })).EnsureSuccessStatusCode();
        var replay = await (await admin.PostAsJsonAsync($"/api/v1/subscriptions/{id}/replay", new { since = DateTimeOffset.UtcNow.AddMinutes(-5) })).Content.ReadFromJsonAsync<JsonElement>();

        replay.GetProperty("queued").GetInt32().Should().Be(3);
        await Eventually.GetAsync(() => Task.FromResult(Receiver.At(endpoint)), r => r.Count >= 3);
        Receiver.At(endpoint).Select(r => r.Json.GetProperty("data").GetProperty("n").GetInt32()).Should().BeEquivalentTo([0, 1, 2]);
    }

    /// <summary>An alert about subscription X is never delivered to X, not even by a replay of X's missed events.</summary>
    [Fact]
    public async Task Replay_NeverQueuesAGatewayEventAboutTheSubscriptionItself()
    {
        using var admin = app.CreateAdminClient();
        var endpoint = DeliveryClient.Unique("self-");
        var subscription = await admin.SubscribeAsync(Receiver.Url(endpoint), ["evt.gateway.alert.opened"]);
        var id = Guid.Parse(subscription.GetProperty("id").GetString()!);
        string aboutItself = "evt_" + Guid.NewGuid().ToString("N"), aboutAnother = "evt_" + Guid.NewGuid().ToString("N");
        await app.Database.ExecuteAsync(
            "INSERT INTO outbound_events (id, type, data, origin, fanned_out, created_at, about_subscription) VALUES ($1, 'evt.gateway.alert.opened', '{\"n\":1}', 'gateway', 0, now(), $2), ($3, 'evt.gateway.alert.opened', '{\"n\":2}', 'gateway', 0, now(), $4)",
            aboutItself, id, aboutAnother, Guid.NewGuid());

        var replay = await (await admin.PostAsJsonAsync($"/api/v1/subscriptions/{id}/replay", new { since = DateTimeOffset.UtcNow.AddMinutes(-5) })).Content.ReadFromJsonAsync<JsonElement>();

        // Other tests of the class may raise real alerts meanwhile, which the replay rightly queues too: count the two seeded ones.
        replay.GetProperty("queued").GetInt32().Should().BeGreaterThanOrEqualTo(1);
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE subscription_id = $1 AND event_id = $2", id, aboutItself)).Should().Be(0);
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE subscription_id = $1 AND event_id = $2", id, aboutAnother)).Should().Be(1);
        static int? N(ReceivedRequest r) => r.Json.GetProperty("data").TryGetProperty("n", out var n) ? n.GetInt32() : null;
        var received = await Eventually.GetAsync(() => Task.FromResult(Receiver.At(endpoint)), r => r.Any(x => N(x) == 2));
        received.Select(N).Should().NotContain(1);
    }

    [Fact]
    public async Task InboundWebhooks_ReachSubscriptionsThatOptedIn()
    {
        using var admin = app.CreateAdminClient();
        var endpoint = DeliveryClient.Unique("ok-");
        var other = DeliveryClient.Unique("ok-");
        var type = DeliveryClient.Unique("inbound");
        await admin.SubscribeAsync(Receiver.Url(endpoint), [$"evt.source.typed.{type}.*"], new { include_inbound = true });
        await admin.SubscribeAsync(Receiver.Url(other), [$"evt.source.typed.{type}.*"]);

        var body = System.Text.Encoding.UTF8.GetBytes("""{"id":"inbound-1","amount":42}""");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/webhooks/typed") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Event-Type", $"{type}.created");
        request.Headers.Add("X-Signature", Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(WebhooksApp.ShopifySecret), body)));
        await (await app.CreateClient().SendAsync(request)).AcceptedAsync();

        var received = await Eventually.GetAsync(() => Task.FromResult(Receiver.At(endpoint)), r => r.Count > 0, TimeSpan.FromSeconds(30));
        received.Single().Json.GetProperty("event").GetString().Should().Be($"evt.source.typed.{type}.created");
        await Task.Delay(500);
        Receiver.At(other).Should().BeEmpty("only subscriptions that opted in get inbound events");
    }

    [Fact]
    public async Task Subscriptions_Crud_Paging_Validation_AndAuth()
    {
        using var admin = app.CreateAdminClient();
        var created = await admin.SubscribeAsync(Receiver.Url("ok-crud"), ["crud.*"], new { description = "crm", retry_count = 3, timeout_seconds = 5, signature_scheme = "legacy" });
        var id = created.GetProperty("id").GetString();
        created.GetProperty("retry_count").GetInt32().Should().Be(3);
        created.GetProperty("signature_scheme").GetString().Should().Be("legacy");
        created.GetProperty("secrets").EnumerateArray().Single().GetProperty("hint").GetString().Should().StartWith("…");

        var updated = await (await admin.PutAsJsonAsync($"/api/v1/subscriptions/{id}", new { description = "crm v2" })).Content.ReadFromJsonAsync<JsonElement>();
        updated.GetProperty("description").GetString().Should().Be("crm v2");
        updated.GetProperty("timeout_seconds").GetInt32().Should().Be(5, "PUT is partial");

        await admin.SubscribeAsync(Receiver.Url("ok-crud2"), ["crud.*"]);
        var page = await admin.GetFromJsonAsync<JsonElement>("/api/v1/subscriptions?limit=1");
        page.GetProperty("items").GetArrayLength().Should().Be(1);
        page.GetProperty("next_cursor").ValueKind.Should().Be(JsonValueKind.String);
        (await admin.GetAsync("/api/v1/subscriptions?limit=101")).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        await (await admin.PostAsJsonAsync("/api/v1/subscriptions", new { url = "ftp://x", events = new[] { "a.b" } })).ProblemAsync(400);
        await (await admin.PostAsJsonAsync("/api/v1/subscriptions", new { url = Receiver.Url("x"), events = new[] { "bad pattern" } })).ProblemAsync(400);
        await (await admin.PostAsJsonAsync("/api/v1/subscriptions", new { url = Receiver.Url("x"), events = new[] { "a.b" }, retry_count = 11 })).ProblemAsync(400);
        await (await admin.PostAsJsonAsync("/api/v1/subscriptions", new { url = Receiver.Url("x"), events = new[] { "a.b" }, timeout_seconds = 0 })).ProblemAsync(400);
        await using (var withoutInbound = new InstanceOn(app.Database))
        {
            await withoutInbound.InitializeAsync();
            using var other = withoutInbound.CreateAdminClient();
            var problem = await (await other.PostAsJsonAsync("/api/v1/subscriptions", new { url = Receiver.Url("x"), events = new[] { "a.b" }, include_inbound = true })).ProblemAsync(400);
            problem.GetProperty("detail").GetString().Should().Contain("ConsumeInboundEvents", "opting in where inbound events are not consumed would silently deliver nothing");
            await withoutInbound.DisposeForRestartAsync();
        }

        (await admin.DeleteAsync($"/api/v1/subscriptions/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await (await admin.GetAsync($"/api/v1/subscriptions/{id}")).ProblemAsync(404);
        (await app.CreateClient().GetAsync("/api/v1/subscriptions")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await app.CreateClient().PostAsJsonAsync("/api/v1/events", new { type = "a.b", data = new { } })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Burst_OfAThousandEvents_ToTenSubscriptions_IsDeliveredExactlyOnceEach()
    {
        using var admin = app.CreateAdminClient();
        var type = DeliveryClient.Unique("burst") + ".tested";
        var endpoints = Enumerable.Range(0, 10).Select(i => DeliveryClient.Unique($"ok-b{i}-")).ToArray();
        var subscriptions = new List<Guid>();
        foreach (var endpoint in endpoints)
        {
            subscriptions.Add(Guid.Parse((await admin.SubscribeAsync(Receiver.Url(endpoint), [type])).GetProperty("id").GetString()!));
        }

        using var client = app.CreateClient();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) => await client.PublishAsync(type, new { n = i }));
        var accepted = clock.Elapsed;
        await Eventually.GetAsync(() => Task.FromResult(endpoints.Sum(e => Receiver.At(e).Count)), n => n >= 10_000, TimeSpan.FromSeconds(120));
        var delivered = clock.Elapsed;
        await Task.Delay(500);

        output.WriteLine($"1,000 events accepted in {accepted.TotalSeconds:0.00} s; 10,000 deliveries done in {delivered.TotalSeconds:0.00} s ({10_000 / delivered.TotalSeconds:0} deliveries/s)");
        foreach (var endpoint in endpoints)
        {
            var received = Receiver.At(endpoint);
            received.Should().HaveCount(1000);
            received.Select(r => r.Header("webhook-id")).Should().OnlyHaveUniqueItems();
            received.Select(r => r.Json.GetProperty("data").GetProperty("n").GetInt32()).Should().BeEquivalentTo(Enumerable.Range(0, 1000));
        }

        // Results are recorded in batches: each subscription's counters and log still add up to one success per delivery.
        foreach (var id in subscriptions)
        {
            await Eventually.GetAsync(
                () => app.Database.ScalarAsync<long>("SELECT success_count FROM subscriptions WHERE id = $1", id), n => n >= 1000, TimeSpan.FromSeconds(30));
            (await app.Database.ScalarAsync<long>("SELECT success_count FROM subscriptions WHERE id = $1", id)).Should().Be(1000);
            (await app.Database.ScalarAsync<long>("SELECT failure_count + consecutive_failures FROM subscriptions WHERE id = $1", id)).Should().Be(0);
            (await app.Database.ScalarAsync<long>("SELECT count(*) FROM delivery_attempts WHERE subscription_id = $1 AND status_code = 200", id)).Should().Be(1000);
            (await app.Database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE subscription_id = $1 AND status = 'delivered' AND claimed_by IS NULL", id)).Should().Be(1000);
        }
    }
}

/// <summary>Outbound delivery on a database of its own, for tests that fill the subscriptions table.</summary>
public sealed class CrowdedDeliveryApp : WithReceiverApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Webhooks:Delivery:AllowPrivateNetworks"] = "true",
        ["Webhooks:Delivery:AllowHttp"] = "true",
        ["Webhooks:Delivery:PublisherKeys:0"] = DeliveryClient.PublisherKey,
    };
}

public sealed class CrowdedDeliveryTests(CrowdedDeliveryApp app) : IClassFixture<CrowdedDeliveryApp>
{
    /// <summary>
    /// The claim once took an advisory lock for every subscription it scanned: past the shared lock table
    /// (max_locks_per_transaction × connections, with some slack) PostgreSQL answered "out of shared memory" and delivery
    /// stopped for everyone. Three times the table's nominal size is well past the slack.
    /// </summary>
    [Fact]
    public async Task Claim_WithMoreSubscriptionsThanTheLockTableHolds_StillDelivers()
    {
        var lockTable = await app.Database.ScalarAsync<int>("""
            SELECT current_setting('max_locks_per_transaction')::int
                   * (current_setting('max_connections')::int + current_setting('max_prepared_transactions')::int)
            """);
        await app.Database.ExecuteAsync("""
            INSERT INTO subscriptions (id, url, events, is_active, retry_count, timeout_seconds, signature_scheme, created_at, updated_at)
            SELECT gen_random_uuid(), 'https://example.invalid/' || g, ARRAY['never.' || g], g % 2 = 0, 7, 30, 'standard', now(), now()
            FROM generate_series(1, $1) g
            """, 3 * lockTable);
        using var admin = app.CreateAdminClient();
        var endpoint = DeliveryClient.Unique("crowd-");
        var type = DeliveryClient.Unique("crowd") + ".tested";
        await admin.SubscribeAsync(app.Receiver!.Url(endpoint), [type]);

        await app.CreateClient().PublishAsync(type, new { n = 1 });

        var received = await Eventually.GetAsync(() => Task.FromResult(app.Receiver.At(endpoint)), r => r.Count > 0, TimeSpan.FromSeconds(30));
        received.Should().ContainSingle();
    }
}
