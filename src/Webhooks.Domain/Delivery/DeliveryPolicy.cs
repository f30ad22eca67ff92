namespace Webhooks.Domain.Delivery;

/// <summary>What an attempt's outcome means for its delivery.</summary>
public enum AttemptVerdict
{
    Succeeded,
    Retry,
    GiveUp,
    Gone,
}

/// <summary>
/// The retry rules of outbound delivery: success is a 2xx within the timeout; timeouts, connection errors, 408, 429
/// and 5xx are retried (any non-2xx, for a subscription that asks for it) on the Standard Webhooks schedule (5 s,
/// 5 min, 30 min, 2 h, 5 h, 10 h, 10 h…) cut at the subscription's retry count — or on the subscription's own
/// schedule —, with ±10 % jitter, never sooner than a Retry-After; other 4xx are not retried; 410 Gone disables the
/// subscription.
/// </summary>
public sealed class DeliveryPolicy(IReadOnlyList<TimeSpan> schedule)
{
    public static readonly IReadOnlyList<TimeSpan> StandardSchedule =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    /// <summary>The longest Retry-After honoured; a longer one is cut to this.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromDays(1);

    /// <summary>The policy a subscription's deliveries follow: its own schedule where it has one, else this deployment's.</summary>
    public static DeliveryPolicy For(IReadOnlyList<int>? ownScheduleSeconds, IReadOnlyList<TimeSpan> defaultSchedule) =>
        new(ownScheduleSeconds is { Count: > 0 } own ? [.. own.Select(s => TimeSpan.FromSeconds(s))] : defaultSchedule);

    public static AttemptVerdict Classify(int? statusCode, string retryOn = RetryOn.Retryable) => statusCode switch
    {
        null => AttemptVerdict.Retry, // timeout or connection failure
        >= 200 and < 300 => AttemptVerdict.Succeeded,
        410 => AttemptVerdict.Gone,
        _ when retryOn == RetryOn.AnyNon2xx => AttemptVerdict.Retry,
        408 or 429 or >= 500 => AttemptVerdict.Retry,
        _ => AttemptVerdict.GiveUp,
    };

    /// <summary>
    /// When attempt <paramref name="attempt"/> (1 for the first) failed with a retryable outcome: the time of the next
    /// one, or null when <paramref name="retryCount"/> retries are spent.
    /// </summary>
    /// <param name="jitterSample">A uniform sample in [0, 1).</param>
    public DateTimeOffset? NextAttempt(int attempt, int retryCount, DateTimeOffset now, TimeSpan? retryAfter, double jitterSample)
    {
        if (attempt > retryCount)
        {
            return null;
        }

        var delay = schedule[Math.Min(attempt - 1, schedule.Count - 1)];
        delay = TimeSpan.FromTicks((long)(delay.Ticks * (0.9 + (0.2 * jitterSample))));
        if (retryAfter is { } wait && wait > delay)
        {
            delay = wait > MaxRetryAfter ? MaxRetryAfter : wait;
        }

        return now + delay;
    }
}
