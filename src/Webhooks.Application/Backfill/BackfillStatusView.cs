using Webhooks.Domain.Sources;

namespace Webhooks.Application.Backfill;

/// <summary>
/// A source's backfill as operators see it: what it watches (never its credentials), its last run — when, how it ended,
/// what it found, redelivered or imported, and why it failed — and the totals since the first.
/// </summary>
/// <param name="Target">The GitHub hook's path, or the Stripe event types.</param>
/// <param name="CoveredUntil">The start of the last complete run: the next run looks again from there less the overlap.</param>
/// <param name="PausedUntil">The provider asked to wait until then (rate limit).</param>
public sealed record BackfillStatusView(
    string Source, string Provider, string ApiBaseUrl, string Target, bool Enabled, bool Running,
    DateTimeOffset? LastRunAt, DateTimeOffset? LastFinishedAt, string? LastOutcome, string? LastError,
    int Found, int Recovered, int Skipped, int FailedRunsInARow, DateTimeOffset? CoveredUntil, DateTimeOffset? PausedUntil,
    long Runs, long RecoveredTotal)
{
    internal static BackfillStatusView From(BackfillSource source, BackfillState? state)
    {
        var settings = source.Settings;
        var github = source.Provider == ProviderKind.GitHub;
        return new BackfillStatusView(
            source.Name,
            source.Provider.ToName(),
            settings.ApiBaseUrl ?? (github ? GitHubHook.DefaultApiBaseUrl : BackfillDefinitions.DefaultStripeApiBaseUrl),
            github ? GitHubHook.PathOf(settings) ?? "" : string.Join(", ", settings.Types is { Count: > 0 } types ? types : BackfillDefinitions.DefaultStripeTypes),
            source.Enabled,
            state?.Running ?? false,
            state?.LastRunAt,
            state?.LastFinishedAt,
            state?.LastOutcome,
            state?.LastError,
            state?.Found ?? 0,
            state?.Recovered ?? 0,
            state?.Skipped ?? 0,
            state?.FailedRunsInARow ?? 0,
            state?.CoveredUntil,
            state?.PausedUntil,
            state?.Runs ?? 0,
            state?.RecoveredTotal ?? 0);
    }
}
