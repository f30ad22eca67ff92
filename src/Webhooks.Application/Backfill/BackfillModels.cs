using Webhooks.Application.Sources;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Backfill;

/// <summary>A source with a Backfill section, its credentials decrypted: what one run works with.</summary>
public sealed record BackfillSource(string Name, ProviderKind Provider, bool Enabled, BackfillSettings Settings);

/// <summary>
/// A source's run, begun: where the last complete run left the window, until when the provider asked to be left alone,
/// and how many runs before this one failed in a row. Held until <see cref="IBackfillStore.FinishAsync"/> (or the
/// lease lapses), so instances never run one source at once.
/// </summary>
public sealed record BackfillLease(DateTimeOffset? CoveredUntil, DateTimeOffset? PausedUntil, int FailedRunsInARow);

/// <summary>What a finished run records: its outcome and figures, the window covered, the pause, failures in a row.</summary>
/// <param name="Found">Missing webhooks found: failed deliveries the inbox lacks (GitHub), listed events the inbox lacks (Stripe).</param>
/// <param name="Recovered">Redeliveries asked (GitHub), events stored (Stripe).</param>
/// <param name="Skipped">Missing deliveries asked for before (GitHub), events stored meanwhile (Stripe).</param>
public sealed record BackfillRunRecord(
    string Source, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string Outcome, int Found, int Recovered, int Skipped, string? Error,
    DateTimeOffset? CoveredUntil, DateTimeOffset? PausedUntil, int FailedRunsInARow);

/// <summary>A source's backfill as recorded: its last run and the totals since the first.</summary>
public sealed record BackfillState(
    string Source, DateTimeOffset? LastRunAt, DateTimeOffset? LastFinishedAt, string? LastOutcome, string? LastError, int Found, int Recovered, int Skipped,
    int FailedRunsInARow, DateTimeOffset? CoveredUntil, DateTimeOffset? PausedUntil, bool Running, long Runs, long RecoveredTotal);

/// <summary>How a run ended.</summary>
public static class BackfillOutcomes
{
    /// <summary>The whole window was read and everything missing asked for or stored.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>Bounded by Webhooks:Backfill:MaxPages or MaxRunTime: the window is read again next run.</summary>
    public const string Incomplete = "incomplete";

    /// <summary>The provider asked to wait (rate limit): nothing more is asked of it until then.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>The provider's API refused or could not be reached, or the outbound rules refused it.</summary>
    public const string Failed = "failed";

    /// <summary>Another instance is running this source's backfill: nothing was done here.</summary>
    public const string Busy = "busy";
}
