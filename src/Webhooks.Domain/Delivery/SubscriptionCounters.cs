namespace Webhooks.Domain.Delivery;

/// <summary>
/// What a subscription's finished attempts have added up to: counts, the failure streak and since when it has been
/// failing, the last attempt and error, and whether it is still active. <see cref="AttemptTally.Apply"/> moves it on;
/// the batched recording stores what that decided.
/// </summary>
public sealed record SubscriptionCounters(
    long SuccessCount, long FailureCount, int ConsecutiveFailures, DateTimeOffset? FailingSince, DateTimeOffset? LastTriggeredAt, string? LastError, bool IsActive)
{
    public static readonly SubscriptionCounters New = new(0, 0, 0, null, null, null, true);
}

/// <summary>The counters after a tally, and why the tally disables the subscription (null: it stays as it was).</summary>
public sealed record CountedAttempts(SubscriptionCounters After, string? DisableReason);
