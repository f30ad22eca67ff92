using Webhooks.Domain.Common;

namespace Webhooks.Domain.Delivery;

/// <summary>
/// One event for one subscription: its state, its attempts so far and when the next is due. Its message id (the
/// webhook-id a receiver de-duplicates on) is the same on every attempt, and on every retry an operator asks for.
/// </summary>
public sealed class EventDelivery : AggregateRoot
{
    private EventDelivery()
    {
    }

    public Guid Id { get; private set; }
    public string EventId { get; private set; } = "";
    public Guid SubscriptionId { get; private set; }
    public string EventType { get; private set; } = "";

    public DeliveryStatus Status { get; private set; } = DeliveryStatus.Pending;
    public int Attempts { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    public string? ClaimedBy { get; private set; }
    public DateTimeOffset? ClaimedUntil { get; private set; }
    public int? LastStatus { get; private set; }
    public string? LastError { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public DateTimeOffset? ArchivedAt { get; private set; }

    public string MessageId => MessageIdOf(Id);

    /// <summary>The message id of a delivery: its webhook-id header and envelope id, the same on every attempt.</summary>
    public static string MessageIdOf(Guid deliveryId) => "msg_" + deliveryId.ToString("N");

    /// <summary>A new series of attempts, under the same message id; refused while one is already under way.</summary>
    public void Retry(DateTimeOffset now)
    {
        if (Status == DeliveryStatus.Pending)
        {
            throw new InvalidOperationException($"Delivery {Id} is already pending: its next attempt is due at {NextAttemptAt:O}.");
        }

        Status = DeliveryStatus.Pending;
        Attempts = 0;
        NextAttemptAt = now;
        CompletedAt = null;
        ArchivedAt = null;
        ClaimedBy = null;
        ClaimedUntil = null;
        Raise(new DeliveryRetried(Id));
    }

    /// <summary>A dead delivery put aside by an operator: it leaves the list of what needs attention.</summary>
    public void Archive(DateTimeOffset now)
    {
        if (Status != DeliveryStatus.Dead)
        {
            throw new InvalidOperationException($"Only a dead delivery can be archived; delivery {Id} is {Status.Text()}.");
        }

        Status = DeliveryStatus.Archived;
        ArchivedAt = now;
    }
}
