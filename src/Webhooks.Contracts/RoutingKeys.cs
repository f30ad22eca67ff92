namespace Webhooks.Contracts;

/// <summary>
/// The routing keys of the <c>webhooks.events</c> topic exchange (each is also the CloudEvent <c>type</c>):
/// <c>evt.webhook.…</c> for provider-mapped events, <c>evt.source.{source}.{type}</c> for generic senders' own types,
/// <c>evt.gateway.…</c> for the gateway's operational events.
/// </summary>
public static class RoutingKeys
{
    public const string Exchange = "webhooks.events";

    public const string WebhookPrefix = "evt.webhook.";
    public const string SourcePrefix = "evt.source.";
    public const string GatewayPrefix = "evt.gateway.";

    /// <summary>
    /// Whether a type belongs to a namespace only the gateway publishes into (provider-mapped, generic sources', its
    /// own): publishers of outbound events may not use them, so no sender can pass for a verified provider or an alert.
    /// </summary>
    public static bool IsReserved(string? type) =>
        type is not null && (type.StartsWith(WebhookPrefix, StringComparison.OrdinalIgnoreCase)
            || type.StartsWith(SourcePrefix, StringComparison.OrdinalIgnoreCase)
            || type.StartsWith(GatewayPrefix, StringComparison.OrdinalIgnoreCase));

    /// <summary>Every stored webhook, whatever its provider.</summary>
    public const string Received = "evt.webhook.received";

    /// <summary>A stored webhook mapped to its domain event (seed 000's lifecycle event, published with that event).</summary>
    public const string Processed = "evt.webhook.processed";

    /// <summary>A stored webhook that could not be mapped (seed 000's lifecycle event).</summary>
    public const string Failed = "evt.webhook.failed";

    /// <summary>A delivery to a known source that was refused (seed 000's lifecycle event; bounded per source and minute).</summary>
    public const string ValidationFailed = "evt.webhook.validation.failed";

    public const string OrderCreated = "evt.webhook.order.created";
    public const string OrderUpdated = "evt.webhook.order.updated";
    public const string OrderPaid = "evt.webhook.order.paid";
    public const string OrderFulfilled = "evt.webhook.order.fulfilled";
    public const string OrderCancelled = "evt.webhook.order.cancelled";

    public const string CustomerCreated = "evt.webhook.customer.created";
    public const string CustomerUpdated = "evt.webhook.customer.updated";

    public const string CatalogItemCreated = "evt.webhook.catalog.item_created";
    public const string CatalogItemUpdated = "evt.webhook.catalog.item_updated";
    public const string CatalogItemDeleted = "evt.webhook.catalog.item_deleted";

    public const string InventoryUpdated = "evt.webhook.inventory.updated";
    public const string InventoryItemUpdated = "evt.webhook.inventory.item_updated";

    public const string AppUninstalled = "evt.webhook.app.uninstalled";
    public const string AppSubscriptionUpdated = "evt.webhook.app.subscription_updated";
    public const string AppPurchaseUpdated = "evt.webhook.app.purchase_updated";

    public const string ComplianceCustomerRedact = "evt.webhook.compliance.customer_redact";
    public const string ComplianceShopRedact = "evt.webhook.compliance.shop_redact";
    public const string ComplianceCustomerDataRequest = "evt.webhook.compliance.customer_data_request";

    public const string PaymentSucceeded = "evt.webhook.payment.succeeded";
    public const string PaymentFailed = "evt.webhook.payment.failed";
    public const string PaymentRefunded = "evt.webhook.payment.refunded";

    public const string SubscriptionCreated = "evt.webhook.subscription.created";
    public const string SubscriptionUpdated = "evt.webhook.subscription.updated";
    public const string SubscriptionCancelled = "evt.webhook.subscription.cancelled";

    public const string InvoicePaid = "evt.webhook.invoice.paid";
    public const string InvoicePaymentFailed = "evt.webhook.invoice.payment_failed";

    public const string GitPush = "evt.webhook.git.push";
    public const string IssueOpened = "evt.webhook.issue.opened";
    public const string IssueClosed = "evt.webhook.issue.closed";

    /// <summary><c>evt.webhook.pull_request.{action}</c>: GitHub's action (opened, closed, synchronize…).</summary>
    public const string PullRequestPrefix = "evt.webhook.pull_request.";

    /// <summary>Seed 002's type names (contract v3): status_update, not status_updated.</summary>
    public const string SmsStatusUpdated = "evt.webhook.sms.status_update";
    public const string CallStatusUpdated = "evt.webhook.call.status_update";

    public const string SlackSlashCommand = "evt.webhook.slack.slash_command";

    /// <summary><c>evt.webhook.slack.{type}</c>: an Events API event (message, app_mention…) or an interaction.</summary>
    public const string SlackPrefix = "evt.webhook.slack.";

    /// <summary>The gateway disabled a subscription (failing too long, or it answered 410).</summary>
    public const string GatewaySubscriptionDisabled = "evt.gateway.subscription.disabled";

    /// <summary>Per source and minute: how many deliveries were rejected and why, with a few client addresses.</summary>
    public const string GatewayRejected = "evt.gateway.rejected";

    /// <summary>A verified delivery that could not be mapped to domain events (it is stored; evt.webhook.received is published).</summary>
    public const string GatewayMappingFailed = "evt.gateway.mapping_failed";

    /// <summary>An alert opened, or its severity changed (published again with the new severity).</summary>
    public const string GatewayAlertOpened = "evt.gateway.alert.opened";

    /// <summary>An alert's condition cleared for long enough, or an operator resolved it.</summary>
    public const string GatewayAlertResolved = "evt.gateway.alert.resolved";

    /// <summary><c>evt.source.{source}.{type}</c>: a generic source's event (bind <c>evt.source.{source}.#</c>).</summary>
    public static string ForSource(string source, string type) => $"{SourcePrefix}{source}.{type}";
}
