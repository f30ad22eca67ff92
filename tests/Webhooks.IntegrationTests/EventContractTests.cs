using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using Json.Schema;
using Webhooks.Application.Providers.GitHub;
using Webhooks.Application.Providers.Hmac;
using Webhooks.Application.Providers.Slack;
using Webhooks.Application.Providers.StandardWebhooks;
using Webhooks.Application.Providers.Stripe;
using Webhooks.Application.Providers.Twilio;
using Webhooks.Contracts;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>
/// The served schemas and AsyncAPI document against what is really published: signed webhooks of every provider go in,
/// and each event that reaches RabbitMQ must validate against the schema served for its type.
/// </summary>
public sealed class EventContractTests(AllProvidersApp app) : IClassFixture<AllProvidersApp>, IAsyncLifetime
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    private EventCollector events = null!;

    public async Task InitializeAsync() => events = await EventCollector.StartAsync();

    public async Task DisposeAsync() => await events.DisposeAsync();

    [Fact]
    public async Task PublishedPayloads_ValidateAgainstTheServedSchemaOfTheirType()
    {
        var unique = Guid.NewGuid().ToString("N")[..8];
        var inbox = new List<Guid>
        {
            await SendAsync("shopify", Shopify.OrderBody(Random.Shared.NextInt64(1, long.MaxValue)), ShopifyHeaders("orders/paid", Shopify.OrderBody(0))),
            await SendAsync("shopify", $$"""{"id":{{Random.Shared.NextInt64(1, long.MaxValue)}},"email":"bob@example.com","first_name":"Bob","last_name":"Norman","phone":null}""", ShopifyHeaders("customers/create", null)),
            await SendAsync("shopify", """{"shop_id":954889,"shop_domain":"acme.myshopify.com","customer":{"id":191167,"email":"john@example.com","phone":"555-625-1199"},"orders_requested":[299938],"data_request":{"id":9999}}""", ShopifyHeaders("customers/data_request", null)),
            await SendAsync("shopify", """{"id":632910392,"title":"IPod Nano","vendor":"Apple","product_type":"Cult Products","status":"active","handle":"ipod-nano"}""", ShopifyHeaders("products/create", null)),
            await SendAsync("shopify", """{"inventory_item_id":271878346596884015,"location_id":24826418,"available":6,"updated_at":"2026-11-30T09:00:00-05:00"}""", ShopifyHeaders("inventory_levels/update", null)),
            await SendAsync("stripe", Fill("""{"id":"evt_c@unique","type":"customer.created","created":@now,"data":{"object":{"id":"cus_1","email":"a@example.com","name":"Ada","phone":null}}}""", unique), Stripe),
            await SendAsync("stripe", Fill("""{"id":"evt_r@unique","type":"charge.refunded","created":@now,"data":{"object":{"id":"ch_1","payment_intent":"pi_1","amount":2000,"amount_refunded":2000,"currency":"usd","refunded":true,"customer":"cus_1","refunds":{"data":[{"id":"re_1"}]}}}}""", unique), Stripe),
            await SendAsync("stripe", Fill("""{"id":"evt_f@unique","type":"invoice.payment_failed","created":@now,"data":{"object":{"id":"in_1","customer":"cus_1","subscription":"sub_1","amount_due":1999,"currency":"usd","status":"open","attempt_count":1,"next_payment_attempt":@later}}}""", unique), Stripe),
            await SendAsync("stripe", Fill("""{"id":"evt_s@unique","type":"customer.subscription.updated","created":@now,"data":{"object":{"id":"sub_1","customer":"cus_1","status":"active","cancel_at_period_end":false,"items":{"data":[{"price":{"id":"price_pro"},"current_period_end":@later}]}}}}""", unique), Stripe),
            await SendAsync("github", """{"action":"opened","issue":{"number":3,"title":"Bug","state":"open","labels":[{"name":"bug"}],"user":{"login":"ada"},"html_url":"https://github.com/acme/api/issues/3"},"repository":{"full_name":"acme/api"},"sender":{"login":"ada"}}""", GitHub("issues")),
            await SendAsync("github", """{"action":"synchronize","number":7,"pull_request":{"title":"T","state":"open","merged":false,"head":{"ref":"f"},"base":{"ref":"main"},"user":{"login":"ada"}},"repository":{"full_name":"acme/api"}}""", GitHub("pull_request")),
            await SendAsync("github", """{"ref":"refs/heads/main","before":"a","after":"b","repository":{"full_name":"acme/api"},"pusher":{"name":"ada"},"commits":[{}],"head_commit":{"id":"b","message":"Fix","url":"https://example.com"}}""", GitHub("push")),
            await SendTwilioAsync(unique),
            await SendAsync("slack", Fill("""{"type":"event_callback","team_id":"T1","api_app_id":"A1","event_id":"Ev@unique","event_time":@now,"event":{"type":"app_mention","channel":"C1","text":"hi"}}""", unique), Slack),
            await SendAsync("acme-standard", """{"type":"milk.collected","data":{"id":"c-1","litres":12.5}}""", StandardWebhooks),
        };

        var published = await Eventually.GetAsync(() => inbox.SelectMany(events.ForInbox).ToList(), e => inbox.All(id => e.Count(x => x.InboxId == id.ToString()) >= 2),
            because: "every webhook's evt.webhook.received and mapped event reach RabbitMQ");

        using var anonymous = app.CreateClient();
        var schemas = new Dictionary<string, JsonSchema>();
        foreach (var received in published)
        {
            var type = received.RoutingKey;
            if (!schemas.TryGetValue(type, out var schema))
            {
                var response = await anonymous.GetAsync($"/api/v1/schemas/{type}");
                response.StatusCode.Should().Be(HttpStatusCode.OK, $"{type} is published, so its schema is served");
                schema = schemas[type] = JsonSchema.FromText(await response.Content.ReadAsStringAsync());
            }

            var result = schema.Evaluate(received.Json.GetProperty("data"), new EvaluationOptions { OutputFormat = OutputFormat.List });
            result.IsValid.Should().BeTrue($"the data of {type} must match its schema: {JsonSerializer.Serialize(result)}\n{received.Body}");
            type.Should().Be(received.Json.GetProperty("type").GetString());
        }

        // The check bites: an id as a number, or a field the record does not have, fails.
        var order = System.Text.Json.Nodes.JsonNode.Parse(published.First(e => e.RoutingKey == RoutingKeys.OrderPaid).Json.GetProperty("data").GetRawText())!.AsObject();
        order["order_id"] = 42;
        schemas[RoutingKeys.OrderPaid].Evaluate(JsonSerializer.SerializeToElement(order)).IsValid.Should().BeFalse();
        order["order_id"] = "42";
        order["unexpected"] = "field";
        schemas[RoutingKeys.OrderPaid].Evaluate(JsonSerializer.SerializeToElement(order)).IsValid.Should().BeFalse();

        published.Select(e => e.RoutingKey).Distinct().Should().Contain(
        [
            RoutingKeys.OrderPaid, RoutingKeys.CustomerCreated, RoutingKeys.ComplianceCustomerDataRequest, RoutingKeys.CatalogItemCreated,
            RoutingKeys.InventoryUpdated, RoutingKeys.PaymentRefunded, RoutingKeys.InvoicePaymentFailed, RoutingKeys.SubscriptionUpdated,
            RoutingKeys.IssueOpened, RoutingKeys.PullRequestPrefix + "synchronize", RoutingKeys.GitPush, RoutingKeys.SmsStatusUpdated,
            RoutingKeys.SlackPrefix + "app_mention", "evt.source.acme-standard.milk.collected", RoutingKeys.Received,
        ]);
        var customers = published.Where(e => e.RoutingKey == RoutingKeys.CustomerCreated).Select(e => e.Json.GetProperty("provider").GetString());
        customers.Should().BeEquivalentTo(["shopify", "stripe"], "one type, one schema, told apart by provider");
    }

    [Fact]
    public async Task CloudEvents_CarryTheProvidersOwnTime_WhereItSendsOne()
    {
        var triggeredAt = "2026-11-30T09:15:00.5Z";
        var headers = ShopifyHeaders("orders/paid", null);
        var shopify = await SendAsync("shopify", Shopify.OrderBody(Random.Shared.NextInt64(1, long.MaxValue)), h =>
        {
            headers(h);
            h["X-Shopify-Triggered-At"] = triggeredAt;
        });
        var stripe = await SendAsync("stripe", Fill("""{"id":"evt_t@guid","type":"customer.updated","created":1733040000,"data":{"object":{"id":"cus_1"}}}""", ""), Stripe);
        var github = await SendAsync("github", """{"zen":"Design for failure."}""", GitHub("ping"));

        var all = await Eventually.GetAsync(() => new[] { shopify, stripe, github }.SelectMany(events.ForInbox).ToList(), e => e.Count >= 7);

        ProviderTimes(all, shopify).Should().OnlyContain(t => t == DateTimeOffset.Parse(triggeredAt, System.Globalization.CultureInfo.InvariantCulture));
        ProviderTimes(all, stripe).Should().OnlyContain(t => t == DateTimeOffset.FromUnixTimeSeconds(1733040000));
        ProviderTimes(all, github).Should().OnlyContain(t => t == null, "GitHub sends no occurred-at time");
    }

    [Fact]
    public async Task SchemasAndAsyncApi_AreServedAnonymously_AndDescribeEveryEventType()
    {
        using var anonymous = app.CreateClient();

        var document = await anonymous.GetFromJsonAsync<JsonElement>("/asyncapi.json");
        document.GetProperty("asyncapi").GetString().Should().Be("3.0.0");
        var addresses = document.GetProperty("channels").EnumerateObject().Select(c => c.Value.GetProperty("address").GetString()).ToList();
        addresses.Should().BeEquivalentTo(EventCatalog.All.Select(d => d.RoutingKey));
        foreach (var definition in EventCatalog.All)
        {
            var response = await anonymous.GetAsync($"/api/v1/schemas/{definition.RoutingKey}");
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/schema+json");
            var served = await response.Content.ReadFromJsonAsync<JsonElement>();
            served.GetProperty("title").GetString().Should().Be(definition.DataType.Name);
            var component = document.GetProperty("components").GetProperty("schemas").GetProperty(definition.DataType.Name);
            var bare = System.Text.Json.Nodes.JsonNode.Parse(served.GetRawText())!.AsObject();
            bare.Remove("$schema");
            bare.Remove("title");
            bare.Remove("description");
            bare.ToJsonString().Should().Be(component.GetRawText(), "the document and the schema endpoint say the same");
        }

        var unknown = await anonymous.GetAsync("/api/v1/schemas/evt.webhook.nothing.here");
        var problem = await unknown.ProblemAsync(404);
        problem.GetProperty("detail").GetString().Should().Contain("evt.webhook.nothing.here");
    }

    /// <summary>A body with its times and unique ids filled in (JSON's braces make interpolation unreadable).</summary>
    private static string Fill(string template, string unique) => template
        .Replace("@now", Now.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("@later", (Now + 86400).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("@unique", unique, StringComparison.Ordinal)
        .Replace("@guid", Guid.NewGuid().ToString("N"), StringComparison.Ordinal);

    private static IEnumerable<DateTimeOffset?> ProviderTimes(List<ReceivedEvent> all, Guid inbox) =>
        all.Where(e => e.InboxId == inbox.ToString())
            .Select(e => e.Json.TryGetProperty("providertime", out var time) ? time.GetDateTimeOffset() : (DateTimeOffset?)null);

    private static Action<Dictionary<string, string>> ShopifyHeaders(string topic, string? _) => h =>
    {
        h["X-Shopify-Topic"] = topic;
        h["X-Shopify-Shop-Domain"] = "acme.myshopify.com";
        h["X-Shopify-Event-Id"] = Guid.NewGuid().ToString();
    };

    private static void Stripe(Dictionary<string, string> h) => h["Stripe-Signature"] = "stripe";

    private static Action<Dictionary<string, string>> GitHub(string name) => h =>
    {
        h["X-GitHub-Event"] = name;
        h["X-GitHub-Delivery"] = Guid.NewGuid().ToString();
    };

    private static void Slack(Dictionary<string, string> h) => h["X-Slack-Request-Timestamp"] = Now.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void StandardWebhooks(Dictionary<string, string> h)
    {
        h["webhook-id"] = "msg_" + Guid.NewGuid().ToString("N");
        h["webhook-timestamp"] = Now.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Signs as the source's provider does, after the headers the signature may cover are set.</summary>
    private async Task<Guid> SendAsync(string source, string body, Action<Dictionary<string, string>> headers, string contentType = "application/json")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var h = new Dictionary<string, string>();
        headers(h);
        switch (source)
        {
            case "shopify":
                h["X-Shopify-Hmac-Sha256"] = Webhooks.Application.Providers.Shopify.ShopifySignature.Sign(bytes, WebhooksApp.ShopifySecret);
                break;
            case "stripe":
                h["Stripe-Signature"] = StripeSignature.Sign(bytes, AllProvidersApp.Secret, Now);
                break;
            case "github":
                h["X-Hub-Signature-256"] = GitHubSignature.Sign(bytes, AllProvidersApp.Secret);
                break;
            case "slack":
                h["X-Slack-Signature"] = SlackSignature.Sign(bytes, AllProvidersApp.Secret, Now);
                break;
            case "acme-standard":
                h["webhook-signature"] = StandardWebhooksSignature.Sign(h["webhook-id"], Now, bytes, AllProvidersApp.StandardSecret);
                break;
            case "acme-hmac":
                h["X-Webhook-Signature"] = HmacSignature.Sign(AllProvidersApp.HmacScheme, AllProvidersApp.Secret, bytes, timestamp: h["X-Webhook-Timestamp"]);
                break;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/webhooks/{source}") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        foreach (var (name, value) in h)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var client = app.CreateClient();
        return (await (await client.SendAsync(request)).AcceptedAsync()).Id;
    }

    private async Task<Guid> SendTwilioAsync(string unique)
    {
        var parameters = new Dictionary<string, string>
        {
            ["MessageSid"] = "SM" + unique, ["MessageStatus"] = "undelivered", ["To"] = "+15551234567", ["From"] = "+15557654321",
            ["ErrorCode"] = "30003", ["ErrorMessage"] = "Unreachable destination handset",
        };
        var body = string.Join('&', parameters.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
        var signature = TwilioSignature.Sign("https://hooks.example.com/api/v1/webhooks/twilio", parameters, AllProvidersApp.Secret);
        return await SendAsync("twilio", body, h => h["X-Twilio-Signature"] = signature, "application/x-www-form-urlencoded");
    }
}
