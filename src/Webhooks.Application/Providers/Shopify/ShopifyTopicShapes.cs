using System.Text.Json.Nodes;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Common.Json;

namespace Webhooks.Application.Providers.Shopify;

/// <summary>
/// Shopify's HMAC covers the body, not X-Shopify-Topic: a signed body re-posted under another topic would verify. The
/// topics whose meaning a consumer acts on — the privacy requests, above all, which make the gateway erase stored data —
/// must come with a body of their shape (contract v3, "De-duplication and topics"); anything else is refused, 400,
/// nothing stored.
/// </summary>
internal static class ShopifyTopicShapes
{
    private static readonly string[] OrderFields = ["line_items", "order_number", "financial_status", "total_price"];

    /// <exception cref="MalformedWebhookException">The body does not fit the topic it arrived with.</exception>
    public static void Check(string topic, JsonObject body)
    {
        var problem = topic.ToLowerInvariant() switch
        {
            ShopifyEventMapper.CustomerRedactTopic when body.Path("customer") is not JsonObject || body.Path("orders_to_redact") is not JsonArray =>
                "a customers/redact body has a customer object and an orders_to_redact array",
            ShopifyEventMapper.ShopRedactTopic when body.Path("shop_id") is null || body.Text("shop_domain") is null =>
                "a shop/redact body has shop_id and shop_domain",
            ShopifyEventMapper.ShopRedactTopic when OrderFields.Any(field => body.ContainsKey(field)) =>
                "a shop/redact body has no order fields",
            ShopifyEventMapper.CustomerDataRequestTopic when body.Path("data_request") is not JsonObject =>
                "a customers/data_request body has a data_request object",
            "orders/cancelled" when body.Text("cancelled_at") is null =>
                "an orders/cancelled body has a cancelled_at time",
            "orders/paid" when body.Text("financial_status") is not ("paid" or "partially_paid") =>
                "an orders/paid body has a financial_status of paid or partially_paid",
            "orders/fulfilled" when body.Text("fulfillment_status") is not "fulfilled" =>
                "an orders/fulfilled body has a fulfillment_status of fulfilled",
            _ => null,
        };
        if (problem is not null)
        {
            throw new MalformedWebhookException($"The body does not fit the topic {topic}: {problem}. (The topic header is not signed, so the body must match it.)");
        }
    }
}
