namespace Webhooks.Domain.Outbox;

/// <summary>
/// Exponential backoff with jitter: min(MaxDelay, InitialDelay·2^(attempt-1)), then spread by ±20 % so that
/// events which failed together do not retry together, never past MaxDelay.
/// </summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan InitialDelay, TimeSpan MaxDelay)
{
    public const double JitterFraction = 0.2;

    /// <param name="attempt">The attempt that just failed, 1 for the first.</param>
    /// <param name="jitterSample">A uniform sample in [0, 1).</param>
    public TimeSpan DelayAfter(int attempt, double jitterSample)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var exponent = Math.Min(attempt - 1, 62);
        var baseTicks = InitialDelay.Ticks * Math.Pow(2, exponent);
        var capped = Math.Min(baseTicks, MaxDelay.Ticks);
        var jittered = capped * (1 - JitterFraction + (2 * JitterFraction * jitterSample));
        return TimeSpan.FromTicks((long)Math.Min(jittered, MaxDelay.Ticks));
    }

    public bool IsExhausted(int attemptsMade) => attemptsMade >= MaxAttempts;
}
