using System.Text;
using System.Text.Json.Nodes;
using FluentAssertions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Providers.Shopify;
using Webhooks.Domain.Sources;

namespace Webhooks.UnitTests.Providers.Shopify;

public sealed class ShopifyEventMapperTests
{
    [Theory]
    [InlineData("app/uninstalled", "evt.webhook.app.uninstalled")]
    [InlineData("app_subscriptions/update", "evt.webhook.app.subscription_updated")]
    [InlineData("app_purchases_one_time/update", "evt.webhook.app.purchase_updated")]
    [InlineData("products/create", "evt.webhook.catalog.item_created")]
    [InlineData("products/update", "evt.webhook.catalog.item_updated")]
    [InlineData("products/delete", "evt.webhook.catalog.item_deleted")]
    [InlineData("orders/create", "evt.webhook.order.created")]
    [InlineData("orders/updated", "evt.webhook.order.updated")]
    [InlineData("orders/paid", "evt.webhook.order.paid")]
    [InlineData("customers/create", "evt.webhook.customer.created")]
    [InlineData("customers/update", "evt.webhook.customer.updated")]
    [InlineData("customers/redact", "evt.webhook.compliance.customer_redact")]
    [InlineData("shop/redact", "evt.webhook.compliance.shop_redact")]
    [InlineData("customers/data_request", "evt.webhook.compliance.customer_data_request")]
    [InlineData("orders/fulfilled", "evt.webhook.order.fulfilled")]
    [InlineData("orders/cancelled", "evt.webhook.order.cancelled")]
    [InlineData("inventory_levels/update", "evt.webhook.inventory.updated")]
    [InlineData("inventory_items/update", "evt.webhook.inventory.item_updated")]
    public void Map_EachSeedTopic_YieldsItsDomainEvent(string topic, string expectedType)
    {
        var mapped = ShopifyEventMapper.Map(topic, new JsonObject { ["id"] = 42 }, "acme.myshopify.com", DateTimeOffset.UnixEpoch);

        mapped.Should().NotBeNull();
        mapped!.Type.Should().Be(expectedType);
        mapped.Data["merchant_id"]!.GetValue<string>().Should().Be("acme");
        mapped.Data["merchant_domain"]!.GetValue<string>().Should().Be("acme.myshopify.com");
    }

    [Fact]
    public void MappedTopics_AreExactlyTheSeedTable() => ShopifyEventMapper.MappedTopics.Should().HaveCount(18);

    [Theory]
    [InlineData("carts/create")]
    [InlineData("checkouts/update")]
    public void Interpret_UnmappedTopic_YieldsNoDomainEvent(string topic)
    {
        var request = TestRequests.With(Encoding.UTF8.GetBytes("{\"shop_id\":1}"), new Dictionary<string, string> { ["X-Shopify-Topic"] = topic });

        var meaning = new ShopifyProvider().Interpret(request, TestRequests.Source(ProviderKind.Shopify, "s"));

        meaning.Events.Should().BeEmpty();
        meaning.Topic.Should().Be(topic);
    }

    [Fact]
    public void Map_Order_CarriesTheSeedFields()
    {
        var body = JsonNode.Parse("""
            {"id": 820982911946154508, "order_number": 1001, "name": "#1001", "total_price": "199.00", "currency": "USD",
             "financial_status": "paid", "fulfillment_status": null, "customer": {"id": 115310627314723954},
             "line_items": [{"product_id": 632910392, "variant_id": 808950810, "quantity": 2, "price": "99.50", "title": "IPod"}]}
            """)!.AsObject();

        var mapped = ShopifyEventMapper.Map("orders/create", body, "acme.myshopify.com", DateTimeOffset.UnixEpoch)!;

        mapped.Subject.Should().Be("820982911946154508");
        mapped.Data["order_id"]!.GetValue<string>().Should().Be("820982911946154508", "ids are strings in every event");
        mapped.Data["order_number"]!.GetValue<long>().Should().Be(1001);
        mapped.Data["total"]!.GetValue<string>().Should().Be("199.00");
        mapped.Data["currency"]!.GetValue<string>().Should().Be("USD");
        mapped.Data["financial_status"]!.GetValue<string>().Should().Be("paid");
        mapped.Data["customer_id"]!.GetValue<string>().Should().Be("115310627314723954");
        var line = mapped.Data["line_items"]!.AsArray().Single()!;
        line["product_id"]!.GetValue<string>().Should().Be("632910392");
        line["variant_id"]!.GetValue<string>().Should().Be("808950810");
        line["quantity"]!.GetValue<int>().Should().Be(2);
        line["price"]!.GetValue<string>().Should().Be("99.50");
    }

    [Fact]
    public void Map_Product_CarriesItemFields()
    {
        var body = JsonNode.Parse("""{"id": 632910392, "title": "IPod Nano", "vendor": "Apple", "product_type": "Cult Products", "status": "active"}""")!.AsObject();

        var mapped = ShopifyEventMapper.Map("products/update", body, "acme.myshopify.com", DateTimeOffset.UnixEpoch)!;

        mapped.Data["item_id"]!.GetValue<string>().Should().Be("632910392");
        mapped.Data["title"]!.GetValue<string>().Should().Be("IPod Nano");
        mapped.Data["vendor"]!.GetValue<string>().Should().Be("Apple");
        mapped.Data["product_type"]!.GetValue<string>().Should().Be("Cult Products");
        mapped.Data["status"]!.GetValue<string>().Should().Be("active");
    }

    [Fact]
    public void Map_InventoryLevel_CarriesItemLocationAndAvailable()
    {
        var body = JsonNode.Parse("""{"inventory_item_id": 271878346596884015, "location_id": 24826418, "available": 6}""")!.AsObject();

        var mapped = ShopifyEventMapper.Map("inventory_levels/update", body, "acme.myshopify.com", DateTimeOffset.UnixEpoch)!;

        mapped.Subject.Should().Be("271878346596884015");
        mapped.Data["inventory_item_id"]!.GetValue<string>().Should().Be("271878346596884015");
        mapped.Data["location_id"]!.GetValue<string>().Should().Be("24826418");
        mapped.Data["available"]!.GetValue<long>().Should().Be(6);
    }

    [Fact]
    public void Map_Customer_HasTheSchemaStripesCustomerHas()
    {
        var body = JsonNode.Parse("""{"id": 706405506930370084, "email": "bob@example.com", "first_name": "Bob", "last_name": "Norman", "phone": "+16136120707"}""")!.AsObject();

        var mapped = ShopifyEventMapper.Map("customers/create", body, "acme.myshopify.com", DateTimeOffset.UnixEpoch)!;

        mapped.Subject.Should().Be("706405506930370084");
        mapped.Data["customer_id"]!.GetValue<string>().Should().Be("706405506930370084");
        mapped.Data["email"]!.GetValue<string>().Should().Be("bob@example.com");
        mapped.Data["name"]!.GetValue<string>().Should().Be("Bob Norman");
        mapped.Data["phone"]!.GetValue<string>().Should().Be("+16136120707");
    }

    [Fact]
    public void Map_CustomerRedact_NamesTheCustomerAndOrdersToErase()
    {
        var body = JsonNode.Parse("""{"shop_id": 954889, "shop_domain": "acme.myshopify.com", "customer": {"id": 191167, "email": "john@example.com", "phone": "555-625-1199"}, "orders_to_redact": [299938, 280263]}""")!.AsObject();

        var mapped = ShopifyEventMapper.Map("customers/redact", body, null, DateTimeOffset.UnixEpoch)!;

        mapped.Type.Should().Be("evt.webhook.compliance.customer_redact");
        mapped.Data["merchant_domain"]!.GetValue<string>().Should().Be("acme.myshopify.com", "the body's shop_domain stands in for the header");
        mapped.Data["customer_id"]!.GetValue<string>().Should().Be("191167");
        mapped.Data["orders_to_redact"]!.AsArray().Select(o => o!.GetValue<string>()).Should().Equal("299938", "280263");
    }

    [Fact]
    public void Interpret_TriggeredAtHeader_IsTheProviderTime()
    {
        var request = TestRequests.With(Encoding.UTF8.GetBytes("{\"id\":1,\"financial_status\":\"paid\"}"), new Dictionary<string, string>
        {
            ["X-Shopify-Topic"] = "orders/paid",
            ["X-Shopify-Triggered-At"] = "2026-11-30T09:15:00.123456Z",
        });

        var meaning = new ShopifyProvider().Interpret(request, TestRequests.Source(ProviderKind.Shopify, "s"));

        meaning.ProviderTime.Should().Be(new DateTimeOffset(2026, 11, 30, 9, 15, 0, 123, TimeSpan.Zero).AddTicks(4560));
    }

    [Fact]
    public void Map_AppSubscription_ReadsTheNestedCharge()
    {
        var body = JsonNode.Parse("""{"app_subscription": {"admin_graphql_api_id": "gid://shopify/AppSubscription/1", "name": "Pro", "status": "ACTIVE"}}""")!.AsObject();

        var mapped = ShopifyEventMapper.Map("app_subscriptions/update", body, "acme.myshopify.com", DateTimeOffset.UnixEpoch)!;

        mapped.Data["subscription_id"]!.GetValue<string>().Should().Be("gid://shopify/AppSubscription/1");
        mapped.Data["status"]!.GetValue<string>().Should().Be("ACTIVE");
    }

    [Fact]
    public void Interpret_TopicHeaderWinsOverPath()
    {
        var request = TestRequests.With(Encoding.UTF8.GetBytes("{\"id\":1}"), new Dictionary<string, string> { ["X-Shopify-Topic"] = "orders/create" }, pathTopic: "orders/updated");

        var meaning = new ShopifyProvider().Interpret(request, TestRequests.Source(ProviderKind.Shopify, "s"));

        meaning.Topic.Should().Be("orders/create");
        meaning.Events.Single().Type.Should().Be("evt.webhook.order.created");
    }

    [Fact]
    public void Interpret_TopicFromPathWhenNoHeader()
    {
        var request = TestRequests.With(Encoding.UTF8.GetBytes("{\"id\":1}"), new Dictionary<string, string>(), pathTopic: "products/delete");

        new ShopifyProvider().Interpret(request, TestRequests.Source(ProviderKind.Shopify, "s")).Events.Single().Type.Should().Be("evt.webhook.catalog.item_deleted");
    }

    [Fact]
    public void Interpret_NoTopicAnywhere_IsMalformed()
    {
        var request = TestRequests.With(Encoding.UTF8.GetBytes("{\"id\":1}"), new Dictionary<string, string>());

        var act = () => new ShopifyProvider().Interpret(request, TestRequests.Source(ProviderKind.Shopify, "s"));

        act.Should().Throw<MalformedWebhookException>().WithMessage("*X-Shopify-Topic*");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"id\":")]
    public void Interpret_BodyNotAJsonObject_IsMalformed(string body)
    {
        var request = TestRequests.With(Encoding.UTF8.GetBytes(body), new Dictionary<string, string> { ["X-Shopify-Topic"] = "orders/create" });

        var act = () => new ShopifyProvider().Interpret(request, TestRequests.Source(ProviderKind.Shopify, "s"));

        act.Should().Throw<MalformedWebhookException>();
    }

    [Fact]
    public void Interpret_DeeplyNestedJson_IsMalformedNotACrash()
    {
        var nested = new string('[', 10_000) + new string(']', 10_000);
        var request = TestRequests.With(Encoding.UTF8.GetBytes(nested), new Dictionary<string, string> { ["X-Shopify-Topic"] = "orders/create" });

        var act = () => new ShopifyProvider().Interpret(request, TestRequests.Source(ProviderKind.Shopify, "s"));

        act.Should().Throw<MalformedWebhookException>();
    }
}

/// <summary>Contract v3: the topic header is not signed, so a body must fit the topic it arrives with.</summary>
public sealed class ShopifyTopicShapeTests
{
    [Theory]
    [InlineData("customers/redact", """{"id":820982911946154508,"customer":{"id":115310627314723954},"line_items":[]}""")]
    [InlineData("customers/redact", """{"shop_id":954889,"customer":{"id":1}}""")]
    [InlineData("shop/redact", """{"id":820982911946154508,"order_number":1001,"line_items":[],"shop_id":954889,"shop_domain":"acme.myshopify.com"}""")]
    [InlineData("shop/redact", """{"shop_id":954889}""")]
    [InlineData("customers/data_request", """{"shop_id":954889,"customer":{"id":1}}""")]
    [InlineData("orders/cancelled", """{"id":1,"cancelled_at":null}""")]
    [InlineData("orders/paid", """{"id":1,"financial_status":"pending"}""")]
    [InlineData("orders/fulfilled", """{"id":1,"fulfillment_status":null}""")]
    public void ABodyThatDoesNotFitItsTopic_IsRefused(string topic, string body) =>
        FluentActions.Invoking(() => Interpret(topic, body)).Should().Throw<Webhooks.Application.Common.Exceptions.MalformedWebhookException>()
            .WithMessage($"*{topic}*");

    [Theory]
    [InlineData("customers/redact", """{"shop_id":954889,"shop_domain":"acme.myshopify.com","customer":{"id":1,"email":"a@example.com"},"orders_to_redact":[1,2]}""")]
    [InlineData("shop/redact", """{"shop_id":954889,"shop_domain":"acme.myshopify.com"}""")]
    [InlineData("customers/data_request", """{"shop_id":954889,"customer":{"id":1},"orders_requested":[],"data_request":{"id":9999}}""")]
    [InlineData("orders/cancelled", """{"id":1,"cancelled_at":"2026-12-01T10:00:00-05:00"}""")]
    [InlineData("orders/paid", """{"id":1,"financial_status":"partially_paid"}""")]
    [InlineData("orders/fulfilled", """{"id":1,"fulfillment_status":"fulfilled"}""")]
    [InlineData("orders/create", """{"id":1,"financial_status":"pending"}""")]
    public void ABodyOfItsTopicsShape_IsAccepted(string topic, string body) =>
        FluentActions.Invoking(() => Interpret(topic, body)).Should().NotThrow();

    private static Webhooks.Application.Providers.WebhookInterpretation Interpret(string topic, string body) =>
        new ShopifyProvider().Interpret(
            TestRequests.With(Encoding.UTF8.GetBytes(body), new Dictionary<string, string> { ["X-Shopify-Topic"] = topic }),
            TestRequests.Source(ProviderKind.Shopify, "s"));
}
