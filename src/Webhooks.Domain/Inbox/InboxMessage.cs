namespace Webhooks.Domain.Inbox;

/// <summary>A webhook exactly as a provider delivered it, stored once its signature was verified.</summary>
public sealed class InboxMessage
{
    private InboxMessage()
    {
    }

    public Guid Id { get; private set; }
    public string Source { get; private set; } = "";
    public string Provider { get; private set; } = "";
    public string? Topic { get; private set; }
    public string IdempotencyKey { get; private set; } = "";
    public string? ContentType { get; private set; }
    public IReadOnlyDictionary<string, string> Headers { get; private set; } = new Dictionary<string, string>();
    public byte[] Body { get; private set; } = [];
    public string CorrelationId { get; private set; } = "";
    public string? ClientAddress { get; private set; }
    public DateTimeOffset ReceivedAt { get; private set; }
    public InboxStatus Status { get; private set; }

    /// <summary>Mapped again on an operator's request: fresh events were written for it.</summary>
    public void MarkReplayed() => Status = InboxStatus.Replayed;

    /// <summary>
    /// A verified webhook whose events are written to the outbox in the same transaction, so it is
    /// <see cref="InboxStatus.Processed"/> from the moment it exists.
    /// </summary>
    public static InboxMessage Receive(
        string source,
        string provider,
        string? topic,
        string idempotencyKey,
        string? contentType,
        IReadOnlyDictionary<string, string> headers,
        byte[] body,
        string correlationId,
        string? clientAddress,
        DateTimeOffset receivedAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        return new InboxMessage
        {
            Id = Guid.CreateVersion7(receivedAt),
            Source = source,
            Provider = provider,
            Topic = topic,
            IdempotencyKey = idempotencyKey,
            ContentType = contentType,
            Headers = headers,
            Body = body,
            CorrelationId = correlationId,
            ClientAddress = clientAddress,
            ReceivedAt = receivedAt,
            Status = InboxStatus.Processed,
        };
    }
}
