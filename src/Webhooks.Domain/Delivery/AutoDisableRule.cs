namespace Webhooks.Domain.Delivery;

/// <summary>
/// When a failing subscription is disabled (docs/contract.md, Outbound delivery): at once on 410 Gone, after
/// <see cref="MaxConsecutiveFailures"/> failed attempts in a row, or once it has been failing for
/// <see cref="MaxFailingFor"/>, as <see cref="AttemptTally.Apply"/> folds a subscription's finished attempts.
/// </summary>
public sealed record AutoDisableRule(int MaxConsecutiveFailures, TimeSpan MaxFailingFor)
{
    public static readonly AutoDisableRule Default = new(50, TimeSpan.FromDays(5));

    /// <returns>Why the subscription is disabled, or null when it stays active.</returns>
    public string? Decide(bool gone, int consecutiveFailures, DateTimeOffset? failingSince, DateTimeOffset now) =>
        gone ? "the endpoint answered 410 Gone"
        : consecutiveFailures >= MaxConsecutiveFailures ? $"{consecutiveFailures} attempts in a row failed"
        : failingSince is { } since && now - since >= MaxFailingFor ? $"failing since {since:u}"
        : null;
}
