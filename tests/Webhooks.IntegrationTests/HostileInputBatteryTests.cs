using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FluentAssertions;
using Webhooks.Application.Providers.Shopify;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>The service on a real socket with a failure budget large enough that the battery meets no throttle.</summary>
public sealed class BatteryApp : WebhooksApp
{
    protected override bool OnKestrel => true;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Webhooks:RateLimits:Failures:Burst"] = "100000",
    };
}

/// <summary>
/// Hostile input of many kinds sent at a running instance on a real socket: each is answered with its specific 4xx as
/// problem+json — never a 5xx — nothing unverified is stored, and the instance is still healthy afterwards.
/// </summary>
public sealed class HostileInputBatteryTests(BatteryApp app) : IClassFixture<BatteryApp>
{
    private const string Key = WebhooksApp.AdminKey;

    /// <summary>Each kind: a name, the request, the status it must get.</summary>
    public static TheoryData<string, int> Kinds()
    {
        var kinds = new TheoryData<string, int>();
        foreach (var attack in Battery())
        {
            kinds.Add(attack.Name, attack.Status);
        }

        return kinds;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task HostileRequest_GetsItsSpecific4xxAsProblemJson_AndStoresNothing(string kind, int status)
    {
        var attack = Battery().Single(k => k.Name == kind);
        using var client = new HttpClient { BaseAddress = app.Address };
        // A fresh host reaches the broker in the background after start: the attack begins on a ready instance, so
        // the check after it is about the attack.
        await Eventually.GetAsync(async () =>
        {
            using var before = await client.GetAsync("/api/v1/health/ready");
            return before.StatusCode;
        }, s => s == HttpStatusCode.OK, because: "the instance becomes ready");
        var stored = await app.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages");

        using var request = attack.Build();
        using var response = await client.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).Should().Be(status, $"{kind}: {text}");
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json", kind);
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages")).Should().Be(stored, $"{kind} must store nothing");
        using var ready = await client.GetAsync("/api/v1/health/ready");
        ready.StatusCode.Should().Be(HttpStatusCode.OK, $"the instance stays healthy after {kind}");
    }

    [Fact]
    public void Battery_HasAtLeastThirtyKinds() => Battery().Select(k => k.Name).Distinct().Should().HaveCountGreaterThanOrEqualTo(30);

    [Theory]
    [InlineData("/api/v1/admin/inbox?to=9999-12-31T23:59:59.9999999Z")]
    [InlineData("/api/v1/admin/inbox?from=0001-01-01T00:00:00Z")]
    [InlineData("/api/v1/admin/inbox?limit=-5")]
    [InlineData("/api/v1/admin/dead-letters?to=9999-12-31T23:59:59.9999999Z")]
    public async Task ExtremeButValidParameters_Answer200(string path)
    {
        using var client = app.CreateAdminClient();
        using var response = await client.GetAsync(path);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private sealed record Attack(string Name, int Status, Func<HttpRequestMessage> Build);

    private static IEnumerable<Attack> Battery()
    {
        var order = Shopify.OrderBody(4242);

        // Ingestion: unverified, malformed, oversized, misaddressed.
        yield return new("no signature header", 401, () => Ingest("shopify", order, signature: null));
        yield return new("empty signature", 401, () => Ingest("shopify", order, signature: ""));
        yield return new("signature from another secret", 401, () => Ingest("shopify", order, signature: ShopifySignature.Sign(Encoding.UTF8.GetBytes(order), "not-the-secret")));
        yield return new("signature not base64", 401, () => Ingest("shopify", order, signature: "%%%%not*base64"));
        yield return new("two signature headers", 401, () =>
        {
            var request = Ingest("shopify", order, signature: "AAAA");
            request.Headers.TryAddWithoutValidation("X-Shopify-Hmac-Sha256", ShopifySignature.Sign(Encoding.UTF8.GetBytes(order), WebhooksApp.ShopifySecret));
            return request;
        });
        yield return new("64 KB signature header", 401, () => Ingest("shopify", order, signature: new string('A', 60 * 1024)));
        yield return new("unknown source", 404, () => Ingest("nobody", order));
        yield return new("disabled source", 404, () => Ingest("disabled", order));
        yield return new("upper-case source", 404, () => Ingest("SHOPIFY", order));
        yield return new("path traversal in source", 404, () => Ingest("..%2F..%2Fadmin", order));
        yield return new("2,000-character source", 404, () => Ingest(new string('a', 2000), order));
        yield return new("4,000-character topic path", 400, () => Ingest("shopify/" + string.Join('/', Enumerable.Repeat("orders", 570)), order, signature: "AAAA"));
        yield return new("body over MaxBodyBytes", 413, () => Ingest("tiny", new string(' ', 4096) + order));
        yield return new("signed invalid UTF-8", 400, () => Signed([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
        yield return new("signed JSON nested 100,000 deep", 400, () => Signed(Encoding.UTF8.GetBytes(new string('[', 100_000) + new string(']', 100_000))));
        yield return new("signed JSON nested 65 deep", 400, () => Signed(Encoding.UTF8.GetBytes(new string('[', 65) + new string(']', 65))));
        yield return new("signed empty body", 400, () => Signed([]));
        yield return new("signed JSON null", 400, () => Signed("null"u8.ToArray()));
        yield return new("signed truncated JSON", 400, () => Signed(Encoding.UTF8.GetBytes(order[..^5])));
        yield return new("signed XML as text/xml", 400, () => Signed("<order id=\"1\"/>"u8.ToArray(), "text/xml"));
        yield return new("signed form body to a JSON provider", 400, () => Signed("a=1&b=2"u8.ToArray(), "application/x-www-form-urlencoded"));
        yield return new("signed order with no topic anywhere", 400, () =>
        {
            var request = Signed(Encoding.UTF8.GetBytes(order));
            request.Headers.Remove("X-Shopify-Topic");
            return request;
        });
        yield return new("unsigned 100,000-key object", 401, () => Ingest("shopify", "{" + string.Join(',', Enumerable.Range(0, 100_000).Select(i => $"\"k{i}\":{i}")) + "}", signature: "AAAA"));
        yield return new("unsigned number with 100,000 digits", 401, () => Ingest("shopify", "{\"id\":" + new string('9', 100_000) + "}", signature: "AAAA"));
        yield return new("unsigned 10 KB idempotency key", 401, () =>
        {
            var request = Ingest("shopify", order, signature: "AAAA");
            request.Headers.Remove("X-Shopify-Event-Id");
            request.Headers.Add("X-Shopify-Event-Id", new string('k', 10_000));
            return request;
        });

        // Admin lists and records: bad enums, dates, cursors, ids.
        yield return new("inbox status as a number", 400, () => Admin("/api/v1/admin/inbox?status=7"));
        yield return new("inbox status negative", 400, () => Admin("/api/v1/admin/inbox?status=-1"));
        yield return new("inbox status unknown", 400, () => Admin("/api/v1/admin/inbox?status=deleted"));
        yield return new("inbox from not a date", 400, () => Admin("/api/v1/admin/inbox?from=yesterday"));
        yield return new("inbox cursor garbage", 400, () => Admin("/api/v1/admin/inbox?cursor=!!!not-a-cursor"));
        yield return new("inbox id unknown", 404, () => Admin($"/api/v1/admin/inbox/{Guid.NewGuid()}"));
        yield return new("dead-letter status as a number", 400, () => Admin("/api/v1/admin/dead-letters?status=7"));
        yield return new("dead-letter cursor garbage", 400, () => Admin("/api/v1/admin/dead-letters?cursor=AAAA"));
        yield return new("dead-letter id not a guid", 404, () => Admin("/api/v1/admin/dead-letters/not-a-guid"));
        yield return new("audit cursor garbage", 400, () => Admin("/api/v1/admin/audit?cursor=%F0%9F%92%A9"));
        yield return new("subscriptions is_active not a bool", 400, () => Admin("/api/v1/subscriptions?is_active=maybe"));
        yield return new("subscriptions limit not a number", 400, () => Admin("/api/v1/subscriptions?limit=ten"));
        yield return new("bulk replay filter with a bad date", 400, () => Admin("/api/v1/admin/dead-letters/replay", HttpMethod.Post, "{\"from\":\"soon\"}"));
        yield return new("source with a traversal name", 400, () => Admin("/api/v1/admin/sources", HttpMethod.Post, "{\"name\":\"../x\",\"provider\":\"shopify\",\"secrets\":[\"s\"]}"));
        yield return new("source body not JSON", 400, () => Admin("/api/v1/admin/sources", HttpMethod.Post, "name=x"));
        yield return new("standard-webhooks source with an empty key", 400, () => Admin("/api/v1/admin/sources", HttpMethod.Post, "{\"name\":\"sw-empty\",\"provider\":\"standard-webhooks\",\"secrets\":[\"whsec_\"]}"));
        yield return new("standard-webhooks source with a 3-byte key", 400, () => Admin("/api/v1/admin/sources", HttpMethod.Post, "{\"name\":\"sw-short\",\"provider\":\"standard-webhooks\",\"secrets\":[\"whsec_AAAA\"]}"));
        yield return new("hmac source checking an unsigned timestamp", 400, () => Admin("/api/v1/admin/sources", HttpMethod.Post, "{\"name\":\"hm-ts\",\"provider\":\"hmac\",\"secrets\":[\"s\"],\"signature_header\":\"X-Sig\",\"timestamp_header\":\"X-Ts\",\"signed_payload\":\"{body}\"}"));

        // Credentials and the publish endpoint.
        yield return new("admin key of 10 KB", 401, () => Admin("/api/v1/admin/inbox", key: new string('k', 10_000)));
        yield return new("empty Bearer key", 401, () => Admin("/api/v1/admin/inbox", key: ""));
        yield return new("unknown authorization scheme", 401, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/admin/inbox");
            request.Headers.TryAddWithoutValidation("Authorization", "Token " + Key);
            return request;
        });
        yield return new("Basic credentials on the JSON API", 401, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/admin/inbox");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + Key)));
            return request;
        });
        yield return new("event that is a JSON array", 400, () => Admin("/api/v1/events", HttpMethod.Post, "[1,2,3]"));
        yield return new("event that is not JSON", 400, () => Admin("/api/v1/events", HttpMethod.Post, "type=order.created"));
        yield return new("event with no type", 400, () => Admin("/api/v1/events", HttpMethod.Post, "{\"data\":{}}"));
        yield return new("event posing as a gateway alert", 400, () => Admin("/api/v1/events", HttpMethod.Post, "{\"type\":\"evt.gateway.alert.resolved\",\"data\":{}}"));
        yield return new("event posing as a verified provider event", 400, () => Admin("/api/v1/events", HttpMethod.Post, "{\"type\":\"evt.webhook.order.paid\",\"data\":{}}"));
        yield return new("event type ending in a newline", 400, () => Admin("/api/v1/events", HttpMethod.Post, "{\"type\":\"order.created\\n\",\"data\":{}}"));
        yield return new("event over MaxEventBytes", 413, () => Admin("/api/v1/events", HttpMethod.Post, "{\"type\":\"order.created\",\"data\":{\"pad\":\"" + new string('x', 1024 * 1024) + "\"}}"));

        // A signed body re-sent under a topic it does not fit (the topic header is not signed).
        yield return new("signed order re-sent as customers/redact", 400, () => Signed(Encoding.UTF8.GetBytes(order), topic: "customers/redact"));
        yield return new("signed order re-sent as shop/redact", 400, () => Signed(Encoding.UTF8.GetBytes(order), topic: "shop/redact"));
        yield return new("signed unfulfilled order re-sent as orders/fulfilled", 400, () => Signed(Encoding.UTF8.GetBytes(order), topic: "orders/fulfilled"));
        yield return new("signed open order re-sent as orders/cancelled", 400, () => Signed(Encoding.UTF8.GetBytes(order), topic: "orders/cancelled"));

        // Outbound: failed deliveries and partner fields.
        yield return new("deliveries status unknown", 400, () => Admin("/api/v1/deliveries?status=gone"));
        yield return new("deliveries cursor garbage", 400, () => Admin("/api/v1/deliveries?cursor=%%%"));
        yield return new("delivery id unknown", 404, () => Admin($"/api/v1/deliveries/{Guid.NewGuid()}"));
        yield return new("retry of an unknown delivery", 404, () => Admin($"/api/v1/deliveries/{Guid.NewGuid()}/retry", HttpMethod.Post));
        yield return new("subscription with a zero-second retry", 400, () => Admin("/api/v1/subscriptions", HttpMethod.Post, "{\"url\":\"https://example.com/h\",\"events\":[\"order.created\"],\"retry_schedule\":[0]}"));
        yield return new("subscription with 21 retries", 400, () => Admin("/api/v1/subscriptions", HttpMethod.Post, "{\"url\":\"https://example.com/h\",\"events\":[\"order.created\"],\"retry_schedule\":[" + string.Join(',', Enumerable.Repeat(60, 21)) + "]}"));
        yield return new("subscription retrying on a made-up rule", 400, () => Admin("/api/v1/subscriptions", HttpMethod.Post, "{\"url\":\"https://example.com/h\",\"events\":[\"order.created\"],\"retry_on\":\"always\"}"));
        yield return new("subscription user agent with a newline", 400, () => Admin("/api/v1/subscriptions", HttpMethod.Post, "{\"url\":\"https://example.com/h\",\"events\":[\"order.created\"],\"user_agent\":\"a\\r\\nX-Evil: 1\"}"));
        yield return new("subscription event pattern ending in a newline", 400, () => Admin("/api/v1/subscriptions", HttpMethod.Post, "{\"url\":\"https://example.com/h\",\"events\":[\"order.created\\n\"]}"));

        // Metrics are not for anonymous callers.
        yield return new("metrics without a key", 401, () => new HttpRequestMessage(HttpMethod.Get, "/metrics"));
    }

    private static HttpRequestMessage Ingest(string source, string body, string? signature = "AAAA") =>
        Raw(source, Encoding.UTF8.GetBytes(body), "application/json", signature);

    private static HttpRequestMessage Signed(byte[] body, string contentType = "application/json", string topic = "orders/create") =>
        Raw("shopify", body, contentType, ShopifySignature.Sign(body, WebhooksApp.ShopifySecret), topic);

    private static HttpRequestMessage Raw(string source, byte[] body, string contentType, string? signature, string topic = "orders/create")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/webhooks/{source}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("X-Shopify-Topic", topic);
        request.Headers.Add("X-Shopify-Shop-Domain", "acme.myshopify.com");
        request.Headers.Add("X-Shopify-Event-Id", Guid.NewGuid().ToString());
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Shopify-Hmac-Sha256", signature);
        }

        return request;
    }

    private static HttpRequestMessage Admin(string path, HttpMethod? method = null, string? json = null, string key = Key)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        return request;
    }
}
