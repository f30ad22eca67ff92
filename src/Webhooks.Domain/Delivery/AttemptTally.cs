namespace Webhooks.Domain.Delivery;

/// <summary>
/// Finished attempts of one subscription, in the order they finished, folded into what they change on it: counts,
/// the failure streak and since when it has been failing, the last error. <see cref="Apply"/> is the one place this
/// arithmetic and the automatic disabling are decided; the batched recording of delivery results stores its answer.
/// </summary>
public sealed class AttemptTally
{
    public int Successes { get; private set; }

    public int Failures { get; private set; }

    /// <summary>Failures before the first success (all of them when none succeeded): they extend the stored streak.</summary>
    public int Leading { get; private set; }

    /// <summary>Failures after the last success: the streak when one succeeded.</summary>
    public int Trailing { get; private set; }

    /// <summary>The longest run of failures after the first success.</summary>
    public int LongestAfterSuccess { get; private set; }

    /// <summary>When the first failure came, if it came before any success.</summary>
    public DateTimeOffset? LeadingSince { get; private set; }

    /// <summary>When the trailing run of failures began.</summary>
    public DateTimeOffset? TrailingSince { get; private set; }

    public DateTimeOffset? LastAt { get; private set; }

    /// <summary>The error of the last failure, which becomes the subscription's last_error.</summary>
    public string? LastError { get; private set; }

    /// <summary>Whether an endpoint answered 410 Gone.</summary>
    public bool Gone { get; private set; }

    public bool AnySucceeded => Successes > 0;

    public void Add(AttemptVerdict verdict, string? error, DateTimeOffset at)
    {
        LastAt = at;
        if (verdict == AttemptVerdict.Succeeded)
        {
            Successes++;
            Trailing = 0;
            TrailingSince = null;
            return;
        }

        Failures++;
        Trailing++;
        TrailingSince ??= at;
        LastError = error;
        Gone |= verdict == AttemptVerdict.Gone;
        if (AnySucceeded)
        {
            LongestAfterSuccess = Math.Max(LongestAfterSuccess, Trailing);
        }
        else
        {
            Leading++;
            LeadingSince ??= at;
        }
    }

    /// <summary>
    /// The counters after these attempts, given those before them, and whether the attempts disable the subscription
    /// under <paramref name="rule"/> (only an active one is disabled; the counters move either way).
    /// </summary>
    public CountedAttempts Apply(SubscriptionCounters before, AutoDisableRule rule, DateTimeOffset now)
    {
        var reason = before.IsActive ? Decide(rule, before.ConsecutiveFailures, before.FailingSince, now) : null;
        var after = before with
        {
            SuccessCount = before.SuccessCount + Successes,
            FailureCount = before.FailureCount + Failures,
            ConsecutiveFailures = AnySucceeded ? Trailing : before.ConsecutiveFailures + Failures,
            FailingSince = AnySucceeded ? TrailingSince : before.FailingSince ?? TrailingSince,
            LastTriggeredAt = LastAt ?? before.LastTriggeredAt,
            LastError = LastError ?? before.LastError,
            IsActive = before.IsActive && reason is null,
        };
        return new CountedAttempts(after, reason);
    }

    /// <summary>
    /// Whether these attempts disable the subscription, given its streak and failing-since before them: 410 Gone, the
    /// longest streak they reached, or the time failing — a run a later success in the same batch broke still counts,
    /// as it would have attempt by attempt.
    /// </summary>
    private string? Decide(AutoDisableRule rule, int streakBefore, DateTimeOffset? failingSinceBefore, DateTimeOffset now)
    {
        if (Failures == 0)
        {
            return null;
        }

        var peak = Math.Max(streakBefore + Leading, LongestAfterSuccess);
        var since = Leading > 0 ? failingSinceBefore ?? LeadingSince : TrailingSince;
        return rule.Decide(Gone, peak, since, now);
    }
}
