using System.Text.Json.Serialization;

namespace Webhooks.Contracts;

/// <summary>Fields of every shop event: the myshopify handle and domain.</summary>
public abstract record ShopEvent : EventData
{
    [JsonPropertyName("merchant_id")] public string? MerchantId { get; init; }

    [JsonPropertyName("merchant_domain")] public string? MerchantDomain { get; init; }
}

/// <summary>An order (Shopify <c>orders/*</c>). Amounts are decimal strings in the order's currency.</summary>
public abstract record Order : ShopEvent
{
    [JsonPropertyName("order_id")] public string? OrderId { get; init; }

    [JsonPropertyName("order_number")] public long? OrderNumber { get; init; }

    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("total")] public string? Total { get; init; }

    [JsonPropertyName("currency")] public string? Currency { get; init; }

    [JsonPropertyName("financial_status")] public string? FinancialStatus { get; init; }

    [JsonPropertyName("fulfillment_status")] public string? FulfillmentStatus { get; init; }

    [JsonPropertyName("customer_id")] public string? CustomerId { get; init; }

    [JsonPropertyName("email")] public string? Email { get; init; }

    [JsonPropertyName("line_items")] public IReadOnlyList<OrderLineItem> LineItems { get; init; } = [];

    [JsonPropertyName("cancelled_at")] public string? CancelledAt { get; init; }

    [JsonPropertyName("cancel_reason")] public string? CancelReason { get; init; }
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
/// CloudEvent's <c>provider</c> says which. Merchant fields are Shopify's, absent for Stripe.
/// </summary>
public abstract record Customer : ShopEvent
{
    [JsonPropertyName("customer_id")] public string? CustomerId { get; init; }

    [JsonPropertyName("email")] public string? Email { get; init; }

    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("phone")] public string? Phone { get; init; }
}

public sealed record CustomerCreated : Customer;

public sealed record CustomerUpdated : Customer;

/// <summary>A product (Shopify <c>products/*</c>).</summary>
public abstract record CatalogItem : ShopEvent
{
    [JsonPropertyName("item_id")] public string? ItemId { get; init; }

    [JsonPropertyName("title")] public string? Title { get; init; }

    [JsonPropertyName("vendor")] public string? Vendor { get; init; }

    [JsonPropertyName("product_type")] public string? ProductType { get; init; }

    [JsonPropertyName("status")] public string? Status { get; init; }

    [JsonPropertyName("handle")] public string? Handle { get; init; }
}

public sealed record CatalogItemCreated : CatalogItem;

public sealed record CatalogItemUpdated : CatalogItem;

public sealed record CatalogItemDeleted : CatalogItem;

/// <summary>Stock at a location changed (Shopify <c>inventory_levels/update</c>).</summary>
public sealed record InventoryUpdated : ShopEvent
{
    [JsonPropertyName("inventory_item_id")] public string? InventoryItemId { get; init; }

    [JsonPropertyName("location_id")] public string? LocationId { get; init; }

    [JsonPropertyName("available")] public long? Available { get; init; }

    [JsonPropertyName("updated_at")] public string? UpdatedAt { get; init; }
}

/// <summary>An inventory item changed (Shopify <c>inventory_items/update</c>).</summary>
public sealed record InventoryItemUpdated : ShopEvent
{
    [JsonPropertyName("inventory_item_id")] public string? InventoryItemId { get; init; }

    [JsonPropertyName("sku")] public string? Sku { get; init; }

    [JsonPropertyName("tracked")] public bool? Tracked { get; init; }

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

public sealed record AppSubscriptionUpdated : AppCharge
{
    [JsonPropertyName("subscription_id")] public string? SubscriptionId { get; init; }
}

public sealed record AppPurchaseUpdated : AppCharge
{
    [JsonPropertyName("purchase_id")] public string? PurchaseId { get; init; }
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
