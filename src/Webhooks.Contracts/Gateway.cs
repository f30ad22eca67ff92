using System.Text.Json;
using System.Text.Json.Serialization;

namespace Webhooks.Contracts;

/// <summary>
/// <c>evt.webhook.received</c>: every stored webhook, its body as <c>payload</c>, with seed 000's fields (source,
/// topic, merchant_id, merchant_domain, webhook_id — the inbox id —, received_at).
/// </summary>
public sealed record WebhookReceived : EventData
{
    [JsonPropertyName("source")] public required string Source { get; init; }

    [JsonPropertyName("topic")] public string? Topic { get; init; }

    [JsonPropertyName("merchant_id")] public string? MerchantId { get; init; }

    [JsonPropertyName("merchant_domain")] public string? MerchantDomain { get; init; }

    /// <summary>The stored webhook: its inbox id.</summary>
    [JsonPropertyName("webhook_id")] public required string WebhookId { get; init; }

    [JsonPropertyName("received_at")] public DateTimeOffset ReceivedAt { get; init; }

    [JsonPropertyName("provider")] public required string Provider { get; init; }

    [JsonPropertyName("idempotency_key")] public required string IdempotencyKey { get; init; }

    [JsonPropertyName("content_type")] public string? ContentType { get; init; }

    /// <summary>The provider's body (JSON, or form fields as an object).</summary>
    [JsonPropertyName("payload")] public JsonElement? Payload { get; init; }
}

/// <summary><c>evt.webhook.processed</c> (seed 000): a stored webhook was mapped; published with its mapped event.</summary>
public sealed record WebhookProcessed : EventData
{
    /// <summary>The inbox id.</summary>
    [JsonPropertyName("entry_id")] public required string EntryId { get; init; }

    [JsonPropertyName("source")] public required string Source { get; init; }

    [JsonPropertyName("topic")] public string? Topic { get; init; }

    /// <summary>The mapped event's type.</summary>
    [JsonPropertyName("event_type")] public required string EventType { get; init; }

    [JsonPropertyName("merchant_id")] public string? MerchantId { get; init; }

    [JsonPropertyName("merchant_domain")] public string? MerchantDomain { get; init; }

    [JsonPropertyName("processed_at")] public DateTimeOffset ProcessedAt { get; init; }
}

/// <summary><c>evt.webhook.failed</c> (seed 000): a stored webhook could not be mapped (it stays stored and replayable).</summary>
public sealed record WebhookFailed : EventData
{
    /// <summary>The inbox id.</summary>
    [JsonPropertyName("entry_id")] public required string EntryId { get; init; }

    [JsonPropertyName("source")] public required string Source { get; init; }

    /// <summary>The provider's topic, or "unknown" (seed 000).</summary>
    [JsonPropertyName("topic")] public required string Topic { get; init; }

    [JsonPropertyName("error")] public required string Error { get; init; }

    [JsonPropertyName("attempts")] public int Attempts { get; init; } = 1;

    [JsonPropertyName("failed_at")] public DateTimeOffset FailedAt { get; init; }
}

/// <summary>
/// <c>evt.webhook.validation.failed</c> (seed 000): a delivery to a known source was refused. At most 60 per source and
/// minute on each instance; past that, only the minute's <c>evt.gateway.rejected</c> summary, so a flood is not amplified.
/// </summary>
public sealed record ValidationFailed : EventData
{
    [JsonPropertyName("source")] public required string Source { get; init; }

    [JsonPropertyName("reason")] public required string Reason { get; init; }

    /// <summary>The topic as received (a header or the path), cut to 100 printable characters; null without one.</summary>
    [JsonPropertyName("topic")] public string? Topic { get; init; }

    [JsonPropertyName("failed_at")] public DateTimeOffset FailedAt { get; init; }
}

/// <summary><c>evt.gateway.subscription.disabled</c>: the gateway stopped delivering to an endpoint.</summary>
public sealed record SubscriptionDisabled : EventData
{
    [JsonPropertyName("subscription_id")] public required string SubscriptionId { get; init; }

    [JsonPropertyName("url")] public required string Url { get; init; }

    [JsonPropertyName("reason")] public required string Reason { get; init; }

    [JsonPropertyName("disabled_at")] public DateTimeOffset DisabledAt { get; init; }
}

/// <summary>
/// <c>evt.gateway.mapping_failed</c>: a verified delivery the gateway could not map to domain events. The webhook is
/// stored (replayable once the mapping is fixed) and its evt.webhook.received published; this says what went wrong.
/// </summary>
public sealed record MappingFailed : EventData
{
    [JsonPropertyName("source")] public required string Source { get; init; }

    [JsonPropertyName("provider")] public required string Provider { get; init; }

    [JsonPropertyName("topic")] public string? Topic { get; init; }

    /// <summary>The stored webhook: <c>GET /api/v1/admin/inbox/{inbox_id}</c>.</summary>
    [JsonPropertyName("inbox_id")] public required string InboxId { get; init; }

    [JsonPropertyName("idempotency_key")] public required string IdempotencyKey { get; init; }

    [JsonPropertyName("reason")] public required string Reason { get; init; }
}

/// <summary>
/// <c>evt.gateway.rejected</c>: one per source and minute that had rejected deliveries — never one per request, so a
/// flood of garbage cannot multiply itself into events.
/// </summary>
public sealed record RejectionSummary : EventData
{
    /// <summary>The source named in the path ("unknown" for every name that is not a source).</summary>
    [JsonPropertyName("source")] public required string Source { get; init; }

    [JsonPropertyName("minute")] public DateTimeOffset Minute { get; init; }

    [JsonPropertyName("rejected")] public long Rejected { get; init; }

    /// <summary>Counts by outcome: rejected_signature, rejected_address, rejected_other, rate_limited, too_large.</summary>
    [JsonPropertyName("by_reason")] public required IReadOnlyDictionary<string, long> ByReason { get; init; }

    /// <summary>Up to five client addresses the rejected deliveries came from.</summary>
    [JsonPropertyName("sample_addresses")] public required IReadOnlyList<string> SampleAddresses { get; init; }
}

/// <summary>
/// <c>evt.gateway.alert.opened</c> and <c>evt.gateway.alert.resolved</c>: one per transition of an alert (a change of
/// severity publishes <c>opened</c> again). <c>source</c> or <c>subscription_id</c> names what it is about.
/// </summary>
public sealed record AlertTransition : EventData
{
    [JsonPropertyName("alert_id")] public required string AlertId { get; init; }

    /// <summary>rejection_rate, outbox_delay, publish_latency, relay_paused, broker_unreachable, silent_source, dead_letters, subscription_failing, subscription_disabled or backfill_failing.</summary>
    [JsonPropertyName("kind")] public required string Kind { get; init; }

    /// <summary>warning or critical.</summary>
    [JsonPropertyName("severity")] public required string Severity { get; init; }

    [JsonPropertyName("source")] public string? Source { get; init; }

    [JsonPropertyName("subscription_id")] public string? SubscriptionId { get; init; }

    /// <summary>The measured value (a rate from 0 to 1, seconds, or a count, by kind).</summary>
    [JsonPropertyName("value")] public double Value { get; init; }

    [JsonPropertyName("threshold")] public double Threshold { get; init; }

    [JsonPropertyName("window_seconds")] public int WindowSeconds { get; init; }

    [JsonPropertyName("opened_at")] public DateTimeOffset OpenedAt { get; init; }

    [JsonPropertyName("resolved_at")] public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>Where an operator looks at it.</summary>
    [JsonPropertyName("dashboard_url")] public required string DashboardUrl { get; init; }
}

/// <summary><c>evt.source.{source}.{type}</c>: a generic sender's own event; <c>data</c> is what it sent.</summary>
public sealed record SourceEvent : EventData
{
    [JsonExtensionData] public Dictionary<string, JsonElement> Fields { get; init; } = [];
}
