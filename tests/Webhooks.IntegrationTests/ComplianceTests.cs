using FluentAssertions;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>Shopify's privacy topics with the redactor polling often.</summary>
public sealed class ComplianceApp : WebhooksApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Webhooks:Compliance:PollInterval"] = "00:00:00.100",
    };
}

public sealed class ComplianceTests(ComplianceApp app) : IClassFixture<ComplianceApp>, IAsyncLifetime
{
    private const string Redacted = """{"redacted":true}""";
    private EventCollector events = null!;

    public async Task InitializeAsync() => events = await EventCollector.StartAsync(bindingKey: "evt.webhook.compliance.*");

    public async Task DisposeAsync() => await events.DisposeAsync();

    [Fact]
    public async Task CustomerRedact_PublishesTheComplianceEvent_AndErasesTheInboxBodiesAboutThatCustomer()
    {
        var customer = Random.Shared.NextInt64(1, long.MaxValue / 2);
        var other = customer + 1;
        var theirOrder = await SendAsync(OrderOf(customer + 10, customer), "orders/create");
        var listedOrder = await SendAsync(OrderOf(customer + 11, customer: null), "orders/paid");
        var theirProfile = await SendAsync($$"""{"id":{{customer}},"email":"ada@example.com","first_name":"Ada"}""", "customers/create");
        var someoneElse = await SendAsync(OrderOf(customer + 12, other), "orders/create");

        var request = await SendAsync($$"""
            {"shop_id":954889,"shop_domain":"acme.myshopify.com","customer":{"id":{{customer}},"email":"ada@example.com","phone":"555-625-1199"},"orders_to_redact":[{{customer + 11}}]}
            """, "customers/redact");

        await Eventually.GetAsync(() => BodiesAsync(theirOrder, listedOrder, theirProfile), bodies => bodies.All(b => b == Redacted),
            because: "the redactor erases every stored body about the customer");
        (await BodyAsync(someoneElse)).Should().Contain($"{other}", "another customer's order is kept");
        (await BodyAsync(request)).Should().Contain("orders_to_redact", "the request is kept as the record of what was asked");
        (await app.Database.ScalarAsync<int>("SELECT redacted_rows FROM compliance_redactions WHERE inbox_id = $1", request)).Should().Be(3);
        var published = await app.Database.ScalarAsync<string>(
            "SELECT string_agg(envelope, ' ') FROM outbox_messages WHERE inbox_id = $1 AND status = 'published'", theirProfile);
        published.Should().NotContain("ada@example.com", "events already published from those rows lose their data too");

        var compliance = await Eventually.GetAsync(() => events.ForInbox(request), e => e.Count > 0);
        compliance.Single().RoutingKey.Should().Be("evt.webhook.compliance.customer_redact");
        compliance.Single().Json.GetProperty("data").GetProperty("customer_id").GetString().Should().Be($"{customer}");
    }

    [Fact]
    public async Task ShopRedact_ErasesEveryBodyOfThatShop_AndNoOtherShops()
    {
        var shop = $"shop{Guid.NewGuid():N}"[..20] + ".myshopify.com";
        var ofShop = await SendAsync(OrderOf(1, 2), "orders/create", shop);
        var ofAnother = await SendAsync(OrderOf(3, 4), "orders/create", "another.myshopify.com");

        var request = await SendAsync($$"""{"shop_id":1,"shop_domain":"{{shop}}"}""", "shop/redact", shop);

        await Eventually.GetAsync(() => BodyAsync(ofShop), body => body == Redacted);
        (await BodyAsync(ofAnother)).Should().NotBe(Redacted);
        var compliance = await Eventually.GetAsync(() => events.ForInbox(request), e => e.Count > 0);
        compliance.Single().RoutingKey.Should().Be("evt.webhook.compliance.shop_redact");
    }

    private static string OrderOf(long orderId, long? customer) =>
        $$"""{"id":{{orderId}},"total_price":"5.00","currency":"USD","financial_status":"paid","email":"someone@example.com"{{(customer is null ? "" : $",\"customer\":{{\"id\":{customer}}}")}}}""";

    private async Task<Guid> SendAsync(string body, string topic, string shop = "acme.myshopify.com")
    {
        using var client = app.CreateClient();
        var request = Shopify.Delivery(body, topic);
        request.Headers.Remove("X-Shopify-Shop-Domain");
        request.Headers.Add("X-Shopify-Shop-Domain", shop);
        return (await (await client.SendAsync(request)).AcceptedAsync()).Id;
    }

    private Task<string> BodyAsync(Guid id) => app.Database.ScalarAsync<string>("SELECT convert_from(body, 'UTF8') FROM inbox_messages WHERE id = $1", id);

    private async Task<string[]> BodiesAsync(params Guid[] ids) => await Task.WhenAll(ids.Select(BodyAsync));
}
