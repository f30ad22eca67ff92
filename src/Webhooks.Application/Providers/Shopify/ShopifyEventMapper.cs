using System.Text.Json.Nodes;
using Webhooks.Application.Common.Json;
using Webhooks.Domain.Events;

namespace Webhooks.Application.Providers.Shopify;

/// <summary>Shopify topics to domain events. Compliance topics and unknown topics map to nothing.</summary>
public static class ShopifyEventMapper
{
    private delegate MappedEvent Mapping(JsonObject body, ShopContext shop);

    private static readonly Dictionary<string, Mapping> Mappings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["app/uninstalled"] = (body, shop) => Event("evt.webhook.app.uninstalled", shop.Domain, shop, new JsonObject
        {
            ["shop_id"] = body.Copy("id"),
            ["shop_name"] = body.Copy("name"),
        }),
        ["app_subscriptions/update"] = (body, shop) => AppCharge("evt.webhook.app.subscription_updated", body.Path("app_subscription"), "subscription_id", shop),
        ["app_purchases_one_time/update"] = (body, shop) => AppCharge("evt.webhook.app.purchase_updated", body.Path("app_purchase_one_time"), "purchase_id", shop),
        ["products/create"] = (body, shop) => CatalogItem("evt.webhook.catalog.item_created", body, shop),
        ["products/update"] = (body, shop) => CatalogItem("evt.webhook.catalog.item_updated", body, shop),
        ["products/delete"] = (body, shop) => CatalogItem("evt.webhook.catalog.item_deleted", body, shop),
        ["orders/create"] = (body, shop) => Order("evt.webhook.order.created", body, shop),
        ["orders/updated"] = (body, shop) => Order("evt.webhook.order.updated", body, shop),
        ["orders/fulfilled"] = (body, shop) => Order("evt.webhook.order.fulfilled", body, shop),
        ["orders/cancelled"] = (body, shop) => Order("evt.webhook.order.cancelled", body, shop),
        ["inventory_levels/update"] = (body, shop) => Event("evt.webhook.inventory.updated", body.Text("inventory_item_id"), shop, new JsonObject
        {
            ["inventory_item_id"] = body.Copy("inventory_item_id"),
            ["location_id"] = body.Copy("location_id"),
            ["available"] = body.Copy("available"),
            ["updated_at"] = body.Copy("updated_at"),
        }),
        ["inventory_items/update"] = (body, shop) => Event("evt.webhook.inventory.item_updated", body.Text("id"), shop, new JsonObject
        {
            ["inventory_item_id"] = body.Copy("id"),
            ["sku"] = body.Copy("sku"),
            ["tracked"] = body.Copy("tracked"),
            ["cost"] = body.Copy("cost"),
            ["updated_at"] = body.Copy("updated_at"),
        }),
    };

    /// <summary>Topics that carry personal-data requests: stored and acknowledged, never turned into domain events.</summary>
    public static readonly IReadOnlySet<string> ComplianceTopics = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "customers/data_request", "customers/redact", "shop/redact",
    };

    public static IReadOnlyCollection<string> MappedTopics => Mappings.Keys;

    public static MappedEvent? Map(string topic, JsonObject body, string? shopDomain) =>
        Mappings.TryGetValue(topic, out var mapping) ? mapping(body, new ShopContext(shopDomain)) : null;

    private static MappedEvent Order(string type, JsonObject body, ShopContext shop)
    {
        var lineItems = new JsonArray();
        if (body.Path("line_items") is JsonArray items)
        {
            foreach (var item in items)
            {
                lineItems.Add(new JsonObject
                {
                    ["product_id"] = item.Copy("product_id"),
                    ["variant_id"] = item.Copy("variant_id"),
                    ["title"] = item.Copy("title"),
                    ["quantity"] = item.Copy("quantity"),
                    ["price"] = item.Copy("price"),
                });
            }
        }

        return Event(type, body.Text("id"), shop, new JsonObject
        {
            ["order_id"] = body.Copy("id"),
            ["order_number"] = body.Copy("order_number"),
            ["name"] = body.Copy("name"),
            ["total"] = body.Copy("total_price"),
            ["currency"] = body.Copy("currency"),
            ["financial_status"] = body.Copy("financial_status"),
            ["fulfillment_status"] = body.Copy("fulfillment_status"),
            ["customer_id"] = body.Path("customer", "id")?.DeepClone(),
            ["email"] = body.Copy("email"),
            ["line_items"] = lineItems,
            ["cancelled_at"] = body.Copy("cancelled_at"),
            ["cancel_reason"] = body.Copy("cancel_reason"),
        });
    }

    private static MappedEvent CatalogItem(string type, JsonObject body, ShopContext shop) => Event(type, body.Text("id"), shop, new JsonObject
    {
        ["item_id"] = body.Copy("id"),
        ["title"] = body.Copy("title"),
        ["vendor"] = body.Copy("vendor"),
        ["product_type"] = body.Copy("product_type"),
        ["status"] = body.Copy("status"),
        ["handle"] = body.Copy("handle"),
    });

    private static MappedEvent AppCharge(string type, JsonNode? charge, string idField, ShopContext shop) => Event(type, charge.Text("admin_graphql_api_id"), shop, new JsonObject
    {
        [idField] = charge.Copy("admin_graphql_api_id"),
        ["name"] = charge.Copy("name"),
        ["status"] = charge.Copy("status"),
        ["currency"] = charge.Copy("currency"),
        ["capped_amount"] = charge.Copy("capped_amount"),
        ["updated_at"] = charge.Copy("updated_at"),
    });

    private static MappedEvent Event(string type, string? subject, ShopContext shop, JsonObject data)
    {
        data.Insert(0, "merchant_id", shop.MerchantId);
        data.Insert(1, "merchant_domain", shop.Domain);
        return new MappedEvent(type, subject, data);
    }

    /// <summary>The shop a delivery is about: its myshopify domain, and its handle as the merchant id.</summary>
    private readonly record struct ShopContext(string? Domain)
    {
        public string? MerchantId => Domain is null ? null : Domain.Split('.')[0];
    }
}
