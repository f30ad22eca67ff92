using System.Security.Cryptography;
using System.Text;
using Webhooks.Domain.Common;

namespace Webhooks.Domain.Inbox;

/// <summary>A webhook exactly as a provider delivered it, stored once its signature was verified.</summary>
public sealed class InboxMessage : AggregateRoot
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

    /// <summary>
    /// SHA-256 of the body as received: a byte-identical body for the same source is a duplicate, whatever its delivery
    /// id. Null on rows stored before bodies were hashed.
    /// </summary>
    public byte[]? BodySha256 { get; private set; }
    public string CorrelationId { get; private set; } = "";
    public string? ClientAddress { get; private set; }
    public DateTimeOffset ReceivedAt { get; private set; }
    public InboxStatus Status { get; private set; }

    /// <summary>Keys longer than this are stored as their hash, so no sender can make an index entry too large.</summary>
    public const int MaxIdempotencyKeyLength = 200;

    /// <summary>Mapped again on an operator's request: fresh events were written for it.</summary>
    public void MarkReplayed()
    {
        Status = InboxStatus.Replayed;
        Raise(new InboxMessageReplayed(Id));
    }

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
        DateTimeOffset receivedAt,
        byte[]? signedContent = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        return new InboxMessage
        {
            Id = Guid.CreateVersion7(receivedAt),
            Source = source,
            Provider = provider,
            Topic = topic,
            IdempotencyKey = idempotencyKey.Length <= MaxIdempotencyKeyLength
                ? idempotencyKey
                : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey))),
            ContentType = contentType,
            Headers = headers,
            Body = body,
            // What the signature binds, when that is not the raw bytes (a form's sorted fields): reordering them must
            // not make a captured delivery new.
            BodySha256 = SHA256.HashData(signedContent ?? body),
            CorrelationId = correlationId,
            ClientAddress = clientAddress,
            ReceivedAt = receivedAt,
            Status = InboxStatus.Processed,
        };
    }
}
