using System.Text.Json.Serialization;

namespace Webhooks.Contracts;

/// <summary>
/// A CloudEvents 1.0 event in structured JSON mode, as published to the <c>webhooks.events</c> exchange, with the
/// gateway's extension attributes. The AMQP <c>message_id</c> equals <see cref="Id"/> on every re-publish.
/// </summary>
public sealed record CloudEvent<TData>
{
    public const string ContentType = "application/cloudevents+json";

    [JsonPropertyName("specversion")] public string SpecVersion { get; init; } = "1.0";

    [JsonPropertyName("id")] public required string Id { get; init; }

    /// <summary><c>/webhooks/{source}</c> for webhooks, <c>/subscriptions/{id}</c> for the gateway's own events.</summary>
    [JsonPropertyName("source")] public required string Source { get; init; }

    /// <summary>The event type, also the routing key.</summary>
    [JsonPropertyName("type")] public required string Type { get; init; }

    /// <summary>When the gateway received the webhook.</summary>
    [JsonPropertyName("time")] public DateTimeOffset Time { get; init; }

    /// <summary>The provider's resource id where known (the order id, the payment id…).</summary>
    [JsonPropertyName("subject")] public string? Subject { get; init; }

    [JsonPropertyName("datacontenttype")] public string DataContentType { get; init; } = "application/json";

    [JsonPropertyName("data")] public required TData Data { get; init; }

    /// <summary>The inbox row the event came from.</summary>
    [JsonPropertyName("inboxid")] public string? InboxId { get; init; }

    /// <summary>The source's provider (<c>shopify</c>, <c>stripe</c>…): tells apart events two providers map to one type.</summary>
    [JsonPropertyName("provider")] public string? Provider { get; init; }

    /// <summary>The provider's own topic or event name.</summary>
    [JsonPropertyName("topic")] public string? Topic { get; init; }

    /// <summary>When the provider says the event occurred, where it sends such a time: order updates by this.</summary>
    [JsonPropertyName("providertime")] public DateTimeOffset? ProviderTime { get; init; }

    [JsonPropertyName("correlationid")] public string? CorrelationId { get; init; }

    /// <summary>W3C trace context continuing the ingest trace.</summary>
    [JsonPropertyName("traceparent")] public string? TraceParent { get; init; }

    /// <summary>True when the webhook was recovered from the provider's API by a backfill, not received; absent otherwise.</summary>
    [JsonPropertyName("backfilled")] public bool? Backfilled { get; init; }
}
