namespace Webhooks.Application.Ingestion;

/// <summary>An inbound HTTP delivery as the provider sent it: the raw bytes and everything a signature may cover.</summary>
public sealed record WebhookRequest(
    string Source,
    string? PathTopic,
    byte[] Body,
    string? ContentType,
    IReadOnlyDictionary<string, string> Headers,
    string Scheme,
    string Host,
    string PathAndQuery,
    string? ClientAddress,
    string CorrelationId,
    string? TraceParent)
{
    /// <summary>When the gateway received it (set by the use case; an inbox replay keeps the original time).</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
}
