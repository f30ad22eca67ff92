namespace Webhooks.Domain.Delivery;

/// <summary>The states of one delivery (one event for one subscription), as stored in deliveries.status.</summary>
public static class DeliveryStatus
{
    /// <summary>Waiting for its next attempt (or being sent, while a worker's claim lasts).</summary>
    public const string Pending = "pending";

    /// <summary>A 2xx answered it.</summary>
    public const string Delivered = "delivered";

    /// <summary>Given up on: retries spent, a final 4xx, or its subscription disabled; a retry or replay queues it again.</summary>
    public const string Dead = "dead";

    /// <summary>A dead delivery an operator has looked at and put aside; a retry still queues it again.</summary>
    public const string Archived = "archived";

    /// <summary>Every state, as the API filters by them.</summary>
    public static readonly IReadOnlyList<string> All = [Pending, Delivered, Dead, Archived];

    /// <summary>The error a delivery parked by a disabled subscription carries.</summary>
    public const string StoppedBySubscription = "subscription disabled";

    /// <summary>What an attempt with this verdict makes of its delivery, given whether a retry is scheduled.</summary>
    public static string After(AttemptVerdict verdict, bool retryScheduled) => verdict switch
    {
        AttemptVerdict.Succeeded => Delivered,
        AttemptVerdict.Retry when retryScheduled => Pending,
        _ => Dead,
    };
}
