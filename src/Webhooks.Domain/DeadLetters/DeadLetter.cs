using Webhooks.Domain.Common;

namespace Webhooks.Domain.DeadLetters;

/// <summary>An event whose publish attempts are spent. Replay puts it back in the outbox with the same id.</summary>
public sealed class DeadLetter : AggregateRoot
{
    private DeadLetter()
    {
    }

    public Guid Id { get; private set; }
    public Guid EventId { get; private set; }
    public string Source { get; private set; } = "";
    public string EventType { get; private set; } = "";
    public string Envelope { get; private set; } = "";
    public int Attempts { get; private set; }
    public string? LastError { get; private set; }

    /// <summary>Every attempt's error as the relay recorded it: a JSON array of {at, attempt, error}.</summary>
    public string Errors { get; private set; } = "[]";

    public DeadLetterStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? ReplayedAt { get; private set; }
    public DateTimeOffset? ArchivedAt { get; private set; }

    public static DeadLetter From(Guid eventId, string source, string eventType, string envelope, int attempts, string? lastError, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        EventId = eventId,
        Source = source,
        EventType = eventType,
        Envelope = envelope,
        Attempts = attempts,
        LastError = lastError,
        Status = DeadLetterStatus.Dead,
        CreatedAt = now,
    };

    public void MarkReplayed(DateTimeOffset now)
    {
        EnsureDead();
        Status = DeadLetterStatus.Replayed;
        ReplayedAt = now;
        Raise(new DeadLetterReplayed(Id, EventId));
    }

    public void Archive(DateTimeOffset now)
    {
        EnsureDead();
        Status = DeadLetterStatus.Archived;
        ArchivedAt = now;
    }

    private void EnsureDead()
    {
        if (Status != DeadLetterStatus.Dead)
        {
            throw new InvalidOperationException($"Dead letter {Id} is already {Status.ToString().ToLowerInvariant()}.");
        }
    }
}
