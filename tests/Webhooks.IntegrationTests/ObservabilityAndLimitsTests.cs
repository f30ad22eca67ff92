using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using FluentAssertions;
using Webhooks.Application.Providers.Shopify;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

public sealed partial class MetricsTests(WebhooksApp app) : IClassFixture<WebhooksApp>
{
    [Fact]
    public async Task Metrics_AfterMixedDeliveries_ParseAsPrometheusTextWithEverySeries()
    {
        using var client = app.CreateClient();
        var eventId = Guid.NewGuid().ToString();
        var accepted = await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(1), eventId: eventId))).AcceptedAsync();
        await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(1), eventId: eventId))).AcceptedAsync();
        await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(2), secret: "forged"))).ProblemAsync(401);
        await (await client.SendAsync(Shopify.Delivery("{\"id\":1,\"n\":\"" + new string('x', 4096) + "\"}", source: "tiny"))).ProblemAsync(413);
        await (await client.SendAsync(Shopify.Delivery("not json"))).ProblemAsync(400);
        await (await client.SendAsync(Shopify.Delivery("{}", source: "nope"))).ProblemAsync(404);
        await Eventually.GetAsync(
            () => app.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE inbox_id = $1 AND status = 'published'", accepted.Id), n => n == 3);

        (await client.GetAsync("/metrics")).StatusCode.Should().Be(System.Net.HttpStatusCode.Unauthorized, "source names and traffic are not for anyone");
        using var scraper = app.CreateAdminClient();
        var samples = await Eventually.GetAsync(async () => Parse(await scraper.GetStringAsync("/metrics")),
            s => s.ContainsKey("webhooks_events_published_total{type=\"evt.webhook.order.created\"}"));

        samples["webhooks_received_total{outcome=\"accepted\",source=\"shopify\"}"].Should().BeGreaterThanOrEqualTo(1);
        samples["webhooks_received_total{outcome=\"duplicate\",source=\"shopify\"}"].Should().BeGreaterThanOrEqualTo(1);
        samples["webhooks_received_total{outcome=\"rejected_signature\",source=\"shopify\"}"].Should().BeGreaterThanOrEqualTo(1);
        samples["webhooks_received_total{outcome=\"too_large\",source=\"tiny\"}"].Should().BeGreaterThanOrEqualTo(1);
        samples["webhooks_received_total{outcome=\"rejected_other\",source=\"shopify\"}"].Should().BeGreaterThanOrEqualTo(1);
        samples["webhooks_received_total{outcome=\"rejected_other\",source=\"unknown\"}"].Should().BeGreaterThanOrEqualTo(1, "unknown sources share one label value");
        samples["webhooks_ingest_duration_seconds_count{source=\"shopify\"}"].Should().BeGreaterThanOrEqualTo(4, "four of the deliveries above name the shopify source");
        samples["webhooks_ingest_duration_seconds_bucket{source=\"shopify\",le=\"+Inf\"}"].Should().Be(samples["webhooks_ingest_duration_seconds_count{source=\"shopify\"}"]);
        samples.Should().ContainKey("webhooks_outbox_backlog");
        samples.Should().ContainKey("webhooks_outbox_oldest_age_seconds");
        samples.Should().ContainKey("webhooks_dead_letters");
        samples.Keys.Should().Contain(k => k.StartsWith("webhooks_relay_batch_size_count", StringComparison.Ordinal));
        samples.Keys.Should().Contain(k => k.StartsWith("webhooks_relay_publish_duration_seconds_bucket", StringComparison.Ordinal));
        samples["process_resident_memory_bytes"].Should().BePositive();
        samples.Keys.Should().NotContain(k => k.Contains(accepted.Id.ToString(), StringComparison.Ordinal), "ids never become labels");
    }

    /// <summary>A strict reader of the text exposition format: every non-comment line is name{labels} value.</summary>
    private static Dictionary<string, double> Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                parts.Should().HaveCount(4);
                parts[3].Should().BeOneOf("counter", "gauge", "histogram");
                declared.Add(parts[2]);
                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            var match = SampleLine().Match(line);
            match.Success.Should().BeTrue($"'{line}' is a Prometheus sample");
            var name = match.Groups["name"].Value;
            declared.Should().Contain(d => name == d || name.StartsWith(d + "_", StringComparison.Ordinal), $"{name} has a TYPE line");
            samples[name + match.Groups["labels"].Value] = match.Groups["value"].Value == "+Inf" ? double.PositiveInfinity : double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        }

        return samples;
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<labels>\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*"(,|(?=\})))*\})? (?<value>[-+]?([0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?|\+Inf|NaN))$""")]
    private static partial Regex SampleLine();
}

/// <summary>Hostile input: each gets a specific 4xx, never a 500, and nothing unverified is stored.</summary>
public sealed class HostileInputTests(WebhooksApp app) : IClassFixture<WebhooksApp>
{
    public static TheoryData<string, byte[], string, int> SignedGarbage() => new()
    {
        { "random bytes", Random(4096), "application/json", 400 },
        { "invalid UTF-8", [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d], "application/json", 400 },
        { "deeply nested JSON", Encoding.UTF8.GetBytes(new string('[', 100_000) + new string(']', 100_000)), "application/json", 400 },
        { "wrong content type, not JSON", Encoding.UTF8.GetBytes("<xml>order</xml>"), "text/xml", 400 },
        { "JSON null", Encoding.UTF8.GetBytes("null"), "application/json", 400 },
    };

    [Theory]
    [MemberData(nameof(SignedGarbage))]
    public async Task Receive_SignedButHostileBody_AnswersItsStatus_AndStoresNothing(string because, byte[] body, string contentType, int status)
    {
        using var client = app.CreateClient();
        var eventId = Guid.NewGuid().ToString();
        using var request = Request(body, contentType, ShopifySignature.Sign(body, WebhooksApp.ShopifySecret), eventId);

        using var response = await client.SendAsync(request);

        await response.ProblemAsync(status);
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE idempotency_key = $1", eventId)).Should().Be(0, because);
    }

    [Fact]
    public async Task Receive_FiftyMebibyteBody_Answers413BeforeReadingIt()
    {
        using var client = app.CreateClient();
        var body = new byte[50 * 1024 * 1024];

        using var response = await client.SendAsync(Request(body, "application/json", "AAAA", Guid.NewGuid().ToString()));

        await response.ProblemAsync(413);
    }

    [Fact]
    public async Task Receive_OneMegabyteSignatureHeader_Answers401()
    {
        using var client = app.CreateClient();
        var body = Encoding.UTF8.GetBytes(Shopify.OrderBody(5));

        using var response = await client.SendAsync(Request(body, "application/json", new string('A', 1024 * 1024), Guid.NewGuid().ToString()));

        await response.ProblemAsync(401);
    }

    [Fact]
    public async Task Receive_TenThousandHeaders_IsRefusedNotCrashed()
    {
        using var client = app.CreateClient();
        var body = Encoding.UTF8.GetBytes(Shopify.OrderBody(6));
        using var request = Request(body, "application/json", "AAAA", Guid.NewGuid().ToString());
        for (var i = 0; i < 10_000; i++)
        {
            request.Headers.TryAddWithoutValidation($"X-Junk-{i}", "x");
        }

        using var response = await client.SendAsync(request);

        ((int)response.StatusCode).Should().BeInRange(400, 499);
    }

    [Fact]
    public async Task Receive_StripeSignatureReplayedOutsideTheTolerance_Answers401()
    {
        await using var stripe = new StripeApp();
        await stripe.InitializeAsync();
        using var client = stripe.CreateClient();
        var body = Encoding.UTF8.GetBytes("{\"id\":\"evt_replayed\",\"type\":\"customer.created\"}");
        var old = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/webhooks/stripe") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Stripe-Signature", Webhooks.Application.Providers.Stripe.StripeSignature.Sign(body, "whsec_x", old));

        using var response = await client.SendAsync(request);

        (await response.ProblemAsync(401)).GetProperty("detail").GetString().Should().Contain("timestamp");
        (await stripe.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages")).Should().Be(0);
    }

    private static HttpRequestMessage Request(byte[] body, string contentType, string signature, string eventId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/webhooks/shopify") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("X-Shopify-Topic", "orders/create");
        request.Headers.Add("X-Shopify-Event-Id", eventId);
        request.Headers.TryAddWithoutValidation("X-Shopify-Hmac-Sha256", signature);
        return request;
    }

    private static byte[] Random(int length)
    {
        var bytes = new byte[length];
        new Random(42).NextBytes(bytes);
        bytes[0] = 0xff;
        return bytes;
    }

    private sealed class StripeApp : WebhooksApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Webhooks:Sources:stripe:Provider"] = "stripe",
            ["Webhooks:Sources:stripe:Secrets:0"] = "whsec_x",
        };
    }
}
