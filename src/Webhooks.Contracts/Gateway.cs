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

/// <summary><c>evt.source.{source}.{type}</c>: a generic sender's own event; <c>data</c> is what it sent.</summary>
public sealed record SourceEvent : EventData
{
    [JsonExtensionData] public Dictionary<string, JsonElement> Fields { get; init; } = [];
}
