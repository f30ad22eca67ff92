using System.Text.Json;
using System.Text.Json.Serialization;

namespace Webhooks.Contracts;

/// <summary><c>evt.webhook.received</c>: every stored webhook, its body as <c>payload</c>.</summary>
public sealed record WebhookReceived : EventData
{
    [JsonPropertyName("source")] public required string Source { get; init; }

    [JsonPropertyName("provider")] public required string Provider { get; init; }

    [JsonPropertyName("topic")] public string? Topic { get; init; }

    [JsonPropertyName("idempotency_key")] public required string IdempotencyKey { get; init; }

    [JsonPropertyName("content_type")] public string? ContentType { get; init; }

    /// <summary>The provider's body (JSON, or form fields as an object).</summary>
    [JsonPropertyName("payload")] public JsonElement? Payload { get; init; }
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

    /// <summary>rejection_rate, outbox_delay, dead_letters, subscription_failing or subscription_disabled.</summary>
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
