using System.Text.Json;
using System.Text.Json.Serialization;

namespace Webhooks.Contracts;

// The data of Shopify's events. The fields the service this gateway replaced published (seed 000: merchant_id,
// merchant_domain, timestamp, order_id, items[…] …) and those of the guide it follows (seed 002: total_price,
// line_items_count, shop_domain …) are a floor: same names, JSON types and meanings (docs/adr/0010). The rest are
// additions.

/// <summary>Fields of every shop event: the myshopify handle and domain, and when the gateway processed it.</summary>
public abstract record ShopEvent : EventData
{
    /// <summary>The shop's handle: the first label of its myshopify domain (seed 000).</summary>
    [JsonPropertyName("merchant_id")] public string? MerchantId { get; init; }

    /// <summary>X-Shopify-Shop-Domain; null when the delivery has none.</summary>
    [JsonPropertyName("merchant_domain")] public string? MerchantDomain { get; init; }

    /// <summary>When the gateway received the webhook (seed 000's processing time).</summary>
    [JsonPropertyName("timestamp")] public DateTimeOffset? Timestamp { get; init; }
}

/// <summary>An order (Shopify <c>orders/*</c>).</summary>
public abstract record Order : ShopEvent
{
    [JsonPropertyName("order_id")] public string? OrderId { get; init; }

    /// <summary>Shopify's order number, an integer as Shopify sends it.</summary>
    [JsonPropertyName("order_number")] public long? OrderNumber { get; init; }

    /// <summary>Shopify's total_price, the decimal string as sent (seed 000).</summary>
    [JsonPropertyName("total")] public string? Total { get; init; }

    /// <summary>The same total as a number in major units (seed 002).</summary>
    [JsonPropertyName("total_price")] public decimal? TotalPrice { get; init; }

    [JsonPropertyName("currency")] public string? Currency { get; init; }

    [JsonPropertyName("financial_status")] public string? FinancialStatus { get; init; }

    [JsonPropertyName("fulfillment_status")] public string? FulfillmentStatus { get; init; }

    /// <summary>The customer's id; an empty string when the order has no customer (seed 000).</summary>
    [JsonPropertyName("customer_id")] public string CustomerId { get; init; } = "";

    /// <summary>The ordered products (seed 000's shape).</summary>
    [JsonPropertyName("items")] public IReadOnlyList<OrderItem> Items { get; init; } = [];

    [JsonPropertyName("line_items_count")] public int LineItemsCount { get; init; }

    /// <summary>X-Shopify-Shop-Domain again, under seed 002's name.</summary>
    [JsonPropertyName("shop_domain")] public string? ShopDomain { get; init; }

    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("email")] public string? Email { get; init; }

    /// <summary>The line items with their titles (an addition beside <see cref="Items"/>).</summary>
    [JsonPropertyName("line_items")] public IReadOnlyList<OrderLineItem> LineItems { get; init; } = [];

    [JsonPropertyName("cancelled_at")] public string? CancelledAt { get; init; }

    [JsonPropertyName("cancel_reason")] public string? CancelReason { get; init; }
}

/// <summary>One product of an order as seed 000 published it: ids as strings, Shopify's price string.</summary>
public sealed record OrderItem
{
    /// <summary>The product's id.</summary>
    [JsonPropertyName("item_id")] public string? ItemId { get; init; }

    [JsonPropertyName("variant_id")] public string? VariantId { get; init; }

    [JsonPropertyName("quantity")] public int? Quantity { get; init; }

    [JsonPropertyName("price")] public string? Price { get; init; }
}

public sealed record OrderLineItem
{
    [JsonPropertyName("product_id")] public string? ProductId { get; init; }

    [JsonPropertyName("variant_id")] public string? VariantId { get; init; }

    [JsonPropertyName("title")] public string? Title { get; init; }

    [JsonPropertyName("quantity")] public int? Quantity { get; init; }

    [JsonPropertyName("price")] public string? Price { get; init; }
}

public sealed record OrderCreated : Order;

public sealed record OrderUpdated : Order;

public sealed record OrderPaid : Order;

public sealed record OrderFulfilled : Order;

public sealed record OrderCancelled : Order;

/// <summary>
/// A customer, from Shopify (<c>customers/create|update</c>) or Stripe (<c>customer.created|updated</c>): the
/// CloudEvent's <c>provider</c> says which. Each fills what its provider sends: Stripe's <c>name</c>,
/// <c>stripe_object_id</c> and <c>created</c> (seed 000), Shopify's <c>first_name</c>, <c>last_name</c>,
/// <c>orders_count</c> and <c>shop_domain</c> (seed 002).
/// </summary>
public abstract record Customer : ShopEvent
{
    [JsonPropertyName("customer_id")] public string? CustomerId { get; init; }

    [JsonPropertyName("email")] public string? Email { get; init; }

    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("first_name")] public string? FirstName { get; init; }

    [JsonPropertyName("last_name")] public string? LastName { get; init; }

    [JsonPropertyName("orders_count")] public long? OrdersCount { get; init; }

    [JsonPropertyName("shop_domain")] public string? ShopDomain { get; init; }

    /// <summary>Stripe: the customer object's id.</summary>
    [JsonPropertyName("stripe_object_id")] public string? StripeObjectId { get; init; }

    /// <summary>Stripe: the object's creation time, Stripe's Unix seconds.</summary>
    [JsonPropertyName("created")] public long? Created { get; init; }

    [JsonPropertyName("phone")] public string? Phone { get; init; }
}

public sealed record CustomerCreated : Customer;

public sealed record CustomerUpdated : Customer;

/// <summary>A product (Shopify <c>products/*</c>).</summary>
public abstract record CatalogItem : ShopEvent
{
    [JsonPropertyName("item_id")] public string? ItemId { get; init; }

    /// <summary>The product's id in Shopify (seed 000 sends it under both names).</summary>
    [JsonPropertyName("external_id")] public string? ExternalId { get; init; }

    [JsonPropertyName("title")] public string? Title { get; init; }

    [JsonPropertyName("vendor")] public string? Vendor { get; init; }

    [JsonPropertyName("product_type")] public string? ProductType { get; init; }

    [JsonPropertyName("status")] public string? Status { get; init; }

    [JsonPropertyName("handle")] public string? Handle { get; init; }
}

public sealed record CatalogItemCreated : CatalogItem;

public sealed record CatalogItemUpdated : CatalogItem
{
    /// <summary>What changed. Shopify sends the whole product, not a diff: seed 000 sent <c>["data"]</c>, and so does this.</summary>
    [JsonPropertyName("changes")] public IReadOnlyList<string> Changes { get; init; } = ["data"];
}

public sealed record CatalogItemDeleted : CatalogItem;

/// <summary>Stock at a location changed (Shopify <c>inventory_levels/update</c>).</summary>
public sealed record InventoryUpdated : ShopEvent
{
    /// <summary>The inventory item's id (seed 000's name for it).</summary>
    [JsonPropertyName("item_id")] public string? ItemId { get; init; }

    [JsonPropertyName("inventory_item_id")] public string? InventoryItemId { get; init; }

    [JsonPropertyName("location_id")] public string? LocationId { get; init; }

    [JsonPropertyName("available")] public long? Available { get; init; }

    [JsonPropertyName("updated_at")] public string? UpdatedAt { get; init; }
}

/// <summary>An inventory item changed (Shopify <c>inventory_items/update</c>).</summary>
public sealed record InventoryItemUpdated : ShopEvent
{
    /// <summary>The inventory item's id (seed 000's name for it).</summary>
    [JsonPropertyName("item_id")] public string? ItemId { get; init; }

    [JsonPropertyName("inventory_item_id")] public string? InventoryItemId { get; init; }

    [JsonPropertyName("sku")] public string? Sku { get; init; }

    [JsonPropertyName("tracked")] public bool? Tracked { get; init; }

    [JsonPropertyName("requires_shipping")] public bool? RequiresShipping { get; init; }

    [JsonPropertyName("cost")] public string? Cost { get; init; }

    [JsonPropertyName("updated_at")] public string? UpdatedAt { get; init; }
}

/// <summary>The app was uninstalled from a shop.</summary>
public sealed record AppUninstalled : ShopEvent
{
    [JsonPropertyName("shop_id")] public string? ShopId { get; init; }

    [JsonPropertyName("shop_name")] public string? ShopName { get; init; }
}

/// <summary>Fields of an app charge (a recurring subscription or a one-time purchase).</summary>
public abstract record AppCharge : ShopEvent
{
    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("status")] public string? Status { get; init; }

    [JsonPropertyName("currency")] public string? Currency { get; init; }

    [JsonPropertyName("capped_amount")] public string? CappedAmount { get; init; }

    [JsonPropertyName("updated_at")] public string? UpdatedAt { get; init; }
}

/// <summary>An app subscription changed (<c>app_subscriptions/update</c>): seed 000's fields, read from Shopify's <c>app_subscription</c>.</summary>
public sealed record AppSubscriptionUpdated : AppCharge
{
    /// <summary>The subscription's id (its admin_graphql_api_id).</summary>
    [JsonPropertyName("subscription_id")] public string? SubscriptionId { get; init; }

    /// <summary>The plan: the subscription's name.</summary>
    [JsonPropertyName("plan")] public string? Plan { get; init; }

    /// <summary>When the trial ends, where Shopify sends it (<c>trial_ends_on</c>).</summary>
    [JsonPropertyName("trial_ends_at")] public string? TrialEndsAt { get; init; }
}

/// <summary>A one-time app purchase changed: seed 000's default fields with <c>data</c>, Shopify's body.</summary>
public sealed record AppPurchaseUpdated : AppCharge
{
    [JsonPropertyName("purchase_id")] public string? PurchaseId { get; init; }

    /// <summary>The body as Shopify sent it (seed 000's default mapping).</summary>
    [JsonPropertyName("data")] public JsonElement? Data { get; init; }
}

/// <summary>
/// Shopify's mandatory privacy topics. The gateway has already redacted its own stored copies when it publishes the
/// redact events; consumers do the same with theirs.
/// </summary>
public abstract record ComplianceRequest : ShopEvent
{
    [JsonPropertyName("shop_id")] public string? ShopId { get; init; }
}

/// <summary>Erase this customer's data (<c>customers/redact</c>).</summary>
public sealed record CustomerRedact : ComplianceRequest
{
    [JsonPropertyName("customer_id")] public string? CustomerId { get; init; }

    [JsonPropertyName("email")] public string? Email { get; init; }

    [JsonPropertyName("phone")] public string? Phone { get; init; }

    [JsonPropertyName("orders_to_redact")] public IReadOnlyList<string> OrdersToRedact { get; init; } = [];
}

/// <summary>Erase the shop's data, 48 hours after the app was uninstalled (<c>shop/redact</c>).</summary>
public sealed record ShopRedact : ComplianceRequest;

/// <summary>The customer asked for their data (<c>customers/data_request</c>).</summary>
public sealed record CustomerDataRequest : ComplianceRequest
{
    [JsonPropertyName("data_request_id")] public string? DataRequestId { get; init; }

    [JsonPropertyName("customer_id")] public string? CustomerId { get; init; }

    [JsonPropertyName("email")] public string? Email { get; init; }

    [JsonPropertyName("phone")] public string? Phone { get; init; }

    [JsonPropertyName("orders_requested")] public IReadOnlyList<string> OrdersRequested { get; init; } = [];
}
