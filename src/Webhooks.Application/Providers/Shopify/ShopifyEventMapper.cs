using System.Text.Json.Nodes;
using Webhooks.Application.Common.Json;
using Webhooks.Contracts;
using Webhooks.Domain.Events;

namespace Webhooks.Application.Providers.Shopify;

/// <summary>
/// Shopify topics to domain events (records of Webhooks.Contracts), with the fields the service this gateway replaced
/// published (seed 000's handler and its _build_event_payload) and those of seed 002 for the topics it maps. Unknown
/// topics map to nothing.
/// </summary>
public static class ShopifyEventMapper
{
    private delegate MappedEvent Mapping(JsonObject body, ShopContext shop);

    public const string CustomerRedactTopic = "customers/redact";
    public const string ShopRedactTopic = "shop/redact";
    public const string CustomerDataRequestTopic = "customers/data_request";

    private static readonly Dictionary<string, Mapping> Mappings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["app/uninstalled"] = (body, shop) => ContractEvents.Event(shop.Fill(new AppUninstalled
        {
            ShopId = body.Text("id"),
            ShopName = body.Text("name"),
        }), shop.Domain),
        // Seed 000 read these fields from the top level of a body Shopify nests under app_subscription: they keep its
        // names and take their meaning from Shopify's documented body (contract v3).
        ["app_subscriptions/update"] = (body, shop) => AppCharge(new AppSubscriptionUpdated
        {
            SubscriptionId = body.Text("app_subscription", "admin_graphql_api_id"),
            Plan = body.Text("app_subscription", "name"),
            TrialEndsAt = body.Text("app_subscription", "trial_ends_on"),
        }, body.Path("app_subscription"), shop),
        // Seed 000's default branch: the base fields and the body as data.
        ["app_purchases_one_time/update"] = (body, shop) => AppCharge(new AppPurchaseUpdated
        {
            PurchaseId = body.Text("app_purchase_one_time", "admin_graphql_api_id"),
            Data = body.Element(),
        }, body.Path("app_purchase_one_time"), shop),
        ["products/create"] = (body, shop) => CatalogItem(new CatalogItemCreated(), body, shop),
        ["products/update"] = (body, shop) => CatalogItem(new CatalogItemUpdated(), body, shop),
        ["products/delete"] = (body, shop) => CatalogItem(new CatalogItemDeleted(), body, shop),
        ["orders/create"] = (body, shop) => Order(new OrderCreated(), body, shop),
        ["orders/updated"] = (body, shop) => Order(new OrderUpdated(), body, shop),
        ["orders/paid"] = (body, shop) => Order(new OrderPaid(), body, shop),
        ["orders/fulfilled"] = (body, shop) => Order(new OrderFulfilled(), body, shop),
        ["orders/cancelled"] = (body, shop) => Order(new OrderCancelled(), body, shop),
        ["customers/create"] = (body, shop) => Customer(new CustomerCreated(), body, shop),
        ["customers/update"] = (body, shop) => Customer(new CustomerUpdated(), body, shop),
        ["inventory_levels/update"] = (body, shop) => ContractEvents.Event(shop.Fill(new InventoryUpdated
        {
            ItemId = body.Text("inventory_item_id"),
            InventoryItemId = body.Text("inventory_item_id"),
            LocationId = body.Text("location_id"),
            Available = body.Long("available"),
            UpdatedAt = body.Text("updated_at"),
        }), body.Text("inventory_item_id")),
        ["inventory_items/update"] = (body, shop) => ContractEvents.Event(shop.Fill(new InventoryItemUpdated
        {
            ItemId = body.Text("id"),
            InventoryItemId = body.Text("id"),
            Sku = body.Text("sku"),
            Tracked = body.Bool("tracked"),
            RequiresShipping = body.Bool("requires_shipping"),
            Cost = body.Text("cost"),
            UpdatedAt = body.Text("updated_at"),
        }), body.Text("id")),
        [CustomerRedactTopic] = (body, shop) => ContractEvents.Event(shop.Fill(new CustomerRedact
        {
            ShopId = body.Text("shop_id"),
            CustomerId = body.Text("customer", "id"),
            Email = body.Text("customer", "email"),
            Phone = body.Text("customer", "phone"),
            OrdersToRedact = body.Texts("orders_to_redact"),
        }), body.Text("customer", "id")),
        [ShopRedactTopic] = (body, shop) => ContractEvents.Event(shop.Fill(new ShopRedact { ShopId = body.Text("shop_id") }), shop.Domain),
        [CustomerDataRequestTopic] = (body, shop) => ContractEvents.Event(shop.Fill(new CustomerDataRequest
        {
            ShopId = body.Text("shop_id"),
            DataRequestId = body.Text("data_request", "id"),
            CustomerId = body.Text("customer", "id"),
            Email = body.Text("customer", "email"),
            Phone = body.Text("customer", "phone"),
            OrdersRequested = body.Texts("orders_requested"),
        }), body.Text("customer", "id")),
    };

    public static IReadOnlyCollection<string> MappedTopics => Mappings.Keys;

    /// <param name="shopDomain">The X-Shopify-Shop-Domain header, else the body's shop_domain (compliance topics).</param>
    /// <param name="receivedAt">When the gateway received the webhook: the events' <c>timestamp</c>.</param>
    public static MappedEvent? Map(string topic, JsonObject body, string? shopDomain, DateTimeOffset receivedAt) =>
        Mappings.TryGetValue(topic, out var mapping) ? mapping(body, new ShopContext(shopDomain ?? body.Text("shop_domain"), receivedAt)) : null;

    private static MappedEvent Order<T>(T order, JsonObject body, ShopContext shop) where T : Contracts.Order
    {
        var items = body.Path("line_items") as JsonArray ?? [];
        return ContractEvents.Event(shop.Fill(order) with
        {
            OrderId = body.Text("id"),
            OrderNumber = body.Long("order_number"),
            Total = body.Text("total_price"),
            TotalPrice = body.Decimal("total_price") ?? 0m,
            Currency = body.Text("currency"),
            FinancialStatus = body.Text("financial_status"),
            FulfillmentStatus = body.Text("fulfillment_status"),
            CustomerId = body.Text("customer", "id") ?? "",
            Items = items.Select(item => new OrderItem
            {
                ItemId = item.Text("product_id"),
                VariantId = item.Text("variant_id"),
                Quantity = (int?)item.Long("quantity"),
                Price = item.Text("price"),
            }).ToList(),
            LineItemsCount = items.Count,
            ShopDomain = shop.Domain,
            Name = body.Text("name"),
            Email = body.Text("email"),
            LineItems = items.Select(item => new OrderLineItem
            {
                ProductId = item.Text("product_id"),
                VariantId = item.Text("variant_id"),
                Title = item.Text("title"),
                Quantity = (int?)item.Long("quantity"),
                Price = item.Text("price"),
            }).ToList(),
            CancelledAt = body.Text("cancelled_at"),
            CancelReason = body.Text("cancel_reason"),
        }, body.Text("id"));
    }

    private static MappedEvent Customer<T>(T customer, JsonObject body, ShopContext shop) where T : Contracts.Customer =>
        ContractEvents.Event(shop.Fill(customer) with
        {
            CustomerId = body.Text("id"),
            Email = body.Text("email"),
            FirstName = body.Text("first_name"),
            LastName = body.Text("last_name"),
            Name = string.Join(' ', new[] { body.Text("first_name"), body.Text("last_name") }.Where(n => !string.IsNullOrEmpty(n))) is { Length: > 0 } name ? name : null,
            OrdersCount = body.Long("orders_count") ?? 0,
            ShopDomain = shop.Domain,
            Phone = body.Text("phone"),
        }, body.Text("id"));

    private static MappedEvent CatalogItem<T>(T item, JsonObject body, ShopContext shop) where T : Contracts.CatalogItem =>
        ContractEvents.Event(shop.Fill(item) with
        {
            ItemId = body.Text("id"),
            ExternalId = body.Text("id"),
            Title = body.Text("title"),
            Vendor = body.Text("vendor"),
            ProductType = body.Text("product_type"),
            Status = body.Text("status"),
            Handle = body.Text("handle"),
        }, body.Text("id"));

    private static MappedEvent AppCharge<T>(T charge, JsonNode? source, ShopContext shop) where T : Contracts.AppCharge =>
        ContractEvents.Event(shop.Fill(charge) with
        {
            Name = source.Text("name"),
            Status = source.Text("status"),
            Currency = source.Text("currency"),
            CappedAmount = source.Text("capped_amount"),
            UpdatedAt = source.Text("updated_at"),
        }, source.Text("admin_graphql_api_id"));

    /// <summary>The shop a delivery is about and when it arrived: every shop event's base fields (seed 000).</summary>
    private readonly record struct ShopContext(string? Domain, DateTimeOffset ReceivedAt)
    {
        public string? MerchantId => Domain is null ? null : Domain.Split('.')[0];

        public T Fill<T>(T data) where T : ShopEvent => data with { MerchantId = MerchantId, MerchantDomain = Domain, Timestamp = ReceivedAt };
    }
}
