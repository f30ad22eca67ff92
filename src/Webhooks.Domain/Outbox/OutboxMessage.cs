namespace Webhooks.Domain.Outbox;

/// <summary>An event waiting to be published; its id is the CloudEvent id, kept on every re-publish.</summary>
public sealed class OutboxMessage
{
    private OutboxMessage()
    {
    }

    public Guid Id { get; private set; }
    public Guid? InboxId { get; private set; }
    public string Source { get; private set; } = "";
    public string EventType { get; private set; } = "";
    public string? Subject { get; private set; }
    public string? CorrelationId { get; private set; }

    /// <summary>
    /// The CloudEvent (structured JSON), built once when the event is created: complete, or — where
    /// <see cref="PayloadAt"/> is set — without the webhook body its inbox row holds.
    /// </summary>
    public string Envelope { get; private set; } = "";

    /// <summary>
    /// Where the inbox body goes back into <see cref="Envelope"/> (a UTF-16 index, before the closing brace of
    /// <c>data</c>, as <c>,"payload":&lt;body&gt;</c>) when the event is published; null when the envelope is complete.
    /// The body is then stored once, in the inbox.
    /// </summary>
    public int? PayloadAt { get; private set; }

    public OutboxStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    public string? LastError { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? PublishedAt { get; private set; }

    /// <summary>
    /// The subscription a gateway event is about, which never receives it (not stored: it matters only while the event
    /// is offered to the outbound subscriptions, in the transaction that writes it).
    /// </summary>
    public Guid? AboutSubscription { get; private set; }

    /// <summary>Marks a gateway event as about <paramref name="subscription"/> (see <see cref="AboutSubscription"/>).</summary>
    public OutboxMessage About(Guid? subscription)
    {
        AboutSubscription = subscription;
        return this;
    }

    public static OutboxMessage Create(
        Guid id,
        Guid? inboxId,
        string source,
        string eventType,
        string? subject,
        string? correlationId,
        string envelope,
        DateTimeOffset now,
        int? payloadAt = null) => new()
        {
            Id = id,
            InboxId = inboxId,
            Source = source,
            EventType = eventType,
            Subject = subject,
            CorrelationId = correlationId,
            Envelope = envelope,
            PayloadAt = payloadAt,
            Status = OutboxStatus.Pending,
            NextAttemptAt = now,
            CreatedAt = now,
        };

    /// <summary>Rebuilds a claimed row's state (the relay reads rows with plain SQL).</summary>
    public static OutboxMessage Restore(Guid id, string source, string eventType, string? correlationId, string envelope, int attempts) => new()
    {
        Id = id,
        Source = source,
        EventType = eventType,
        CorrelationId = correlationId,
        Envelope = envelope,
        Attempts = attempts,
        Status = OutboxStatus.Pending,
    };

    public void MarkPublished(DateTimeOffset now)
    {
        Attempts++;
        Status = OutboxStatus.Published;
        PublishedAt = now;
        LastError = null;
    }

    /// <summary>
    /// Records a refused publish. Returns true when the attempts are spent and the event becomes a dead letter.
    /// </summary>
    public bool Fail(string error, DateTimeOffset now, RetryPolicy policy, double jitterSample)
    {
        Attempts++;
        LastError = error;
        if (policy.IsExhausted(Attempts))
        {
            Status = OutboxStatus.DeadLettered;
            return true;
        }

        NextAttemptAt = now + policy.DelayAfter(Attempts, jitterSample);
        return false;
    }

    /// <summary>
    /// Published again as <paramref name="envelope"/> (the same event, mapped anew: it carries this id), with fresh
    /// attempts: consumers that de-duplicate on the id see a replayed webhook's events as the ones they already have.
    /// </summary>
    public void Republish(string envelope, int? payloadAt, DateTimeOffset now)
    {
        Envelope = envelope;
        PayloadAt = payloadAt;
        Requeue(now);
    }

    /// <summary>Back to the queue with fresh attempts, keeping its id so consumers can de-duplicate.</summary>
    public void Requeue(DateTimeOffset now)
    {
        Status = OutboxStatus.Pending;
        Attempts = 0;
        NextAttemptAt = now;
        LastError = null;
    }
}
