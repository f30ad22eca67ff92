namespace Webhooks.Domain.Delivery;

/// <summary>The states of one delivery (one event for one subscription), stored in deliveries.status as lower-case text.</summary>
public enum DeliveryStatus
{
    /// <summary>Waiting for its next attempt (or being sent, while a worker's claim lasts).</summary>
    Pending = 1,

    /// <summary>A 2xx answered it.</summary>
    Delivered = 2,

    /// <summary>Given up on: retries spent, a final 4xx, or its subscription disabled; a retry or replay queues it again.</summary>
    Dead = 3,

    /// <summary>A dead delivery an operator has looked at and put aside; a retry still queues it again.</summary>
    Archived = 4,
}

/// <summary>The one spelling of <see cref="DeliveryStatus"/> as text (the column, the API's filter), and its rules.</summary>
public static class DeliveryStatuses
{
    /// <summary>Every state's text, as the API filters by them.</summary>
    public static readonly IReadOnlyList<string> All = Enum.GetValues<DeliveryStatus>().Select(Text).ToArray();

    /// <summary>The error a delivery parked by a disabled subscription carries.</summary>
    public const string StoppedBySubscription = "subscription disabled";

    /// <summary>The state as stored and shown: 'pending', 'delivered', 'dead', 'archived'.</summary>
    public static string Text(this DeliveryStatus status) => status switch
    {
        DeliveryStatus.Pending => "pending",
        DeliveryStatus.Delivered => "delivered",
        DeliveryStatus.Dead => "dead",
        DeliveryStatus.Archived => "archived",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>The state a text names, or null.</summary>
    public static DeliveryStatus? Parse(string? text) => Enum.GetValues<DeliveryStatus>().Where(s => s.Text() == text).Select(s => (DeliveryStatus?)s).FirstOrDefault();

    /// <summary>What an attempt with this verdict makes of its delivery, given whether a retry is scheduled.</summary>
    public static DeliveryStatus After(AttemptVerdict verdict, bool retryScheduled) => verdict switch
    {
        AttemptVerdict.Succeeded => DeliveryStatus.Delivered,
        AttemptVerdict.Retry when retryScheduled => DeliveryStatus.Pending,
        _ => DeliveryStatus.Dead,
    };
}
