using System.Text;
using FluentAssertions;
using Webhooks.Application.Providers.Shopify;

namespace Webhooks.UnitTests.Providers.Shopify;

public sealed class ShopifyIdempotencyKeyTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"id\":7}");

    [Fact]
    public void EventIdHeader_WinsOverWebhookId()
    {
        var request = TestRequests.With(Body, new Dictionary<string, string> { ["X-Shopify-Event-Id"] = "evt-1", ["X-Shopify-Webhook-Id"] = "wh-1" });

        ShopifyProvider.IdempotencyKey(request, "orders/create", "acme.myshopify.com", "7").Should().Be("evt-1");
    }

    [Fact]
    public void WebhookIdHeader_UsedWhenNoEventId()
    {
        var request = TestRequests.With(Body, new Dictionary<string, string> { ["X-Shopify-Webhook-Id"] = "wh-1" });

        ShopifyProvider.IdempotencyKey(request, "orders/create", "acme.myshopify.com", "7").Should().Be("wh-1");
    }

    [Fact]
    public void WithoutHeaders_HashOfTopicShopAndBodyId_IsStableAndDistinguishing()
    {
        var request = TestRequests.With(Body, new Dictionary<string, string>());

        var key = ShopifyProvider.IdempotencyKey(request, "orders/create", "acme.myshopify.com", "7");

        key.Should().StartWith("sha256:").And.HaveLength(71);
        ShopifyProvider.IdempotencyKey(request, "orders/create", "acme.myshopify.com", "7").Should().Be(key);
        ShopifyProvider.IdempotencyKey(request, "orders/updated", "acme.myshopify.com", "7").Should().NotBe(key);
        ShopifyProvider.IdempotencyKey(request, "orders/create", "other.myshopify.com", "7").Should().NotBe(key);
        ShopifyProvider.IdempotencyKey(request, "orders/create", "acme.myshopify.com", "8").Should().NotBe(key);
    }
}
