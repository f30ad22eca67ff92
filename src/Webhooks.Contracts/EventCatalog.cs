namespace Webhooks.Contracts;

/// <summary>
/// One event type: its routing key (a family such as <c>evt.webhook.pull_request.{action}</c> holds a placeholder),
/// the record of its <c>data</c>, and which providers publish it.
/// </summary>
public sealed record EventDefinition(string RoutingKey, Type DataType, string Summary, IReadOnlyList<string> Providers)
{
    /// <summary>The key before a family's placeholder, or the whole key.</summary>
    public string Prefix => IsFamily ? RoutingKey[..RoutingKey.IndexOf('{', StringComparison.Ordinal)] : RoutingKey;

    public bool IsFamily => RoutingKey.Contains('{', StringComparison.Ordinal);

    /// <summary>Whether a concrete routing key is this type (or one of this family's).</summary>
    public bool Covers(string routingKey)
    {
        if (!IsFamily)
        {
            return string.Equals(routingKey, RoutingKey, StringComparison.Ordinal);
        }

        if (routingKey.Length <= Prefix.Length || !routingKey.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        // Each placeholder is at least one segment; the last (a generic sender's type) may hold several.
        var placeholders = RoutingKey.Count(c => c == '{');
        var segments = routingKey[Prefix.Length..].Split('.');
        return segments.All(s => s.Length > 0) && (placeholders == 1 ? segments.Length == 1 : segments.Length >= placeholders);
    }
}

/// <summary>Every event type the gateway publishes to <c>webhooks.events</c>, with the record of its data.</summary>
public static class EventCatalog
{
    private static readonly string[] Shopify = ["shopify"];
    private static readonly string[] Stripe = ["stripe"];
    private static readonly string[] GitHub = ["github"];

    public static IReadOnlyList<EventDefinition> All { get; } =
    [
        new(RoutingKeys.Received, typeof(WebhookReceived), "Every stored webhook, from any provider; payload is its body.", ["*"]),
        new(RoutingKeys.Processed, typeof(WebhookProcessed), "A stored webhook was mapped to its domain event (published with it).", ["*"]),
        new(RoutingKeys.Failed, typeof(WebhookFailed), "A stored webhook could not be mapped.", ["*"]),
        new(RoutingKeys.ValidationFailed, typeof(ValidationFailed), "A delivery to a known source was refused (at most 60 per source and minute per instance).", ["*"]),
        new(RoutingKeys.OrderCreated, typeof(OrderCreated), "An order was placed.", Shopify),
        new(RoutingKeys.OrderUpdated, typeof(OrderUpdated), "An order changed.", Shopify),
        new(RoutingKeys.OrderPaid, typeof(OrderPaid), "An order was paid.", Shopify),
        new(RoutingKeys.OrderFulfilled, typeof(OrderFulfilled), "An order was fulfilled.", Shopify),
        new(RoutingKeys.OrderCancelled, typeof(OrderCancelled), "An order was cancelled.", Shopify),
        new(RoutingKeys.CustomerCreated, typeof(CustomerCreated), "A customer was created.", ["shopify", "stripe"]),
        new(RoutingKeys.CustomerUpdated, typeof(CustomerUpdated), "A customer changed.", ["shopify", "stripe"]),
        new(RoutingKeys.CatalogItemCreated, typeof(CatalogItemCreated), "A product was created.", Shopify),
        new(RoutingKeys.CatalogItemUpdated, typeof(CatalogItemUpdated), "A product changed.", Shopify),
        new(RoutingKeys.CatalogItemDeleted, typeof(CatalogItemDeleted), "A product was deleted.", Shopify),
        new(RoutingKeys.InventoryUpdated, typeof(InventoryUpdated), "Stock at a location changed.", Shopify),
        new(RoutingKeys.InventoryItemUpdated, typeof(InventoryItemUpdated), "An inventory item changed.", Shopify),
        new(RoutingKeys.AppUninstalled, typeof(AppUninstalled), "The app was uninstalled from a shop.", Shopify),
        new(RoutingKeys.AppSubscriptionUpdated, typeof(AppSubscriptionUpdated), "An app subscription charge changed.", Shopify),
        new(RoutingKeys.AppPurchaseUpdated, typeof(AppPurchaseUpdated), "A one-time app purchase changed.", Shopify),
        new(RoutingKeys.ComplianceCustomerRedact, typeof(CustomerRedact), "Erase a customer's data (the gateway has erased its copies).", Shopify),
        new(RoutingKeys.ComplianceShopRedact, typeof(ShopRedact), "Erase a shop's data (the gateway has erased its copies).", Shopify),
        new(RoutingKeys.ComplianceCustomerDataRequest, typeof(CustomerDataRequest), "A customer asked for their data.", Shopify),
        new(RoutingKeys.PaymentSucceeded, typeof(PaymentSucceeded), "A payment succeeded.", ["stripe", "paypal"]),
        new(RoutingKeys.PaymentFailed, typeof(PaymentFailed), "A payment failed.", ["stripe", "paypal"]),
        new(RoutingKeys.PaymentRefunded, typeof(PaymentRefunded), "A payment was refunded.", ["stripe", "paypal"]),
        new(RoutingKeys.SubscriptionCreated, typeof(SubscriptionCreated), "A recurring subscription began.", ["stripe", "paypal"]),
        new(RoutingKeys.SubscriptionUpdated, typeof(SubscriptionUpdated), "A recurring subscription changed.", Stripe),
        new(RoutingKeys.SubscriptionCancelled, typeof(SubscriptionCancelled), "A recurring subscription ended.", ["stripe", "paypal"]),
        new(RoutingKeys.InvoicePaid, typeof(InvoicePaid), "An invoice was paid.", Stripe),
        new(RoutingKeys.InvoicePaymentFailed, typeof(InvoicePaymentFailed), "An invoice's payment failed.", Stripe),
        new(RoutingKeys.GitPush, typeof(GitPush), "Commits were pushed.", GitHub),
        new(RoutingKeys.PullRequestPrefix + "{action}", typeof(PullRequestChanged), "A pull request event; the key ends in GitHub's action.", GitHub),
        new(RoutingKeys.IssueOpened, typeof(IssueOpened), "An issue was opened.", GitHub),
        new(RoutingKeys.IssueClosed, typeof(IssueClosed), "An issue was closed.", GitHub),
        new(RoutingKeys.SmsStatusUpdated, typeof(SmsStatusUpdated), "A message's delivery status changed.", ["twilio"]),
        new(RoutingKeys.CallStatusUpdated, typeof(CallStatusUpdated), "A call's status changed.", ["twilio"]),
        new(RoutingKeys.SlackSlashCommand, typeof(SlackSlashCommand), "A slash command was run.", ["slack"]),
        new(RoutingKeys.SlackPrefix + "{type}", typeof(SlackActivity), "A Slack event or interaction; the key ends in its type.", ["slack"]),
        new(RoutingKeys.GatewaySubscriptionDisabled, typeof(SubscriptionDisabled), "The gateway disabled an outbound subscription.", ["webhooks"]),
        new(RoutingKeys.GatewayRejected, typeof(RejectionSummary), "Rejected deliveries of one source in one minute, by reason.", ["webhooks"]),
        new(RoutingKeys.GatewayMappingFailed, typeof(MappingFailed), "A verified delivery that could not be mapped to domain events; it is stored and evt.webhook.received published.", ["webhooks"]),
        new(RoutingKeys.GatewayAlertOpened, typeof(AlertTransition), "An alert opened, or its severity changed.", ["webhooks"]),
        new(RoutingKeys.GatewayAlertResolved, typeof(AlertTransition), "An alert was resolved.", ["webhooks"]),
        new(RoutingKeys.SourcePrefix + "{source}.{type}", typeof(SourceEvent), "A generic source's own event type; data is what the sender sent.", ["hmac", "standard-webhooks"]),
    ];

    /// <summary>The definition of a concrete routing key (exact types before families), or null.</summary>
    public static EventDefinition? Find(string routingKey) =>
        All.FirstOrDefault(d => !d.IsFamily && d.Covers(routingKey)) ?? All.FirstOrDefault(d => d.IsFamily && d.Covers(routingKey));

    /// <summary>The (first) definition whose data is this record.</summary>
    public static EventDefinition Of(Type dataType) =>
        All.FirstOrDefault(d => d.DataType == dataType) ?? throw new ArgumentException($"{dataType.Name} is not the data of any event type.", nameof(dataType));
}
