namespace Webhooks.Domain.Delivery;

/// <summary>The states of one delivery (one event for one subscription), as stored in deliveries.status.</summary>
public static class DeliveryStatus
{
    /// <summary>Waiting for its next attempt (or being sent, while a worker's claim lasts).</summary>
    public const string Pending = "pending";

    public const string Succeeded = "succeeded";

    /// <summary>Given up on: retries spent, a final 4xx, or its subscription disabled; a replay queues it again.</summary>
    public const string Dead = "dead";

    /// <summary>The error a delivery parked by a disabled subscription carries.</summary>
    public const string StoppedBySubscription = "subscription disabled";

    /// <summary>What an attempt with this verdict makes of its delivery, given whether a retry is scheduled.</summary>
    public static string After(AttemptVerdict verdict, bool retryScheduled) => verdict switch
    {
        AttemptVerdict.Succeeded => Succeeded,
        AttemptVerdict.Retry when retryScheduled => Pending,
        _ => Dead,
    };
}
