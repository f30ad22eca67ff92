namespace Webhooks.Domain.Alerts;

/// <summary>One source's deliveries over the window: how many were refused, of how many.</summary>
public sealed record SourceRejections(string Source, long Rejected, long Total);

/// <summary>A subscription failing in a row, or disabled by the gateway.</summary>
public sealed record SubscriptionHealth(Guid Subscription, int ConsecutiveFailures, bool DisabledByGateway);

/// <summary>A source expected to deliver every so often, and how long it has been silent.</summary>
public sealed record SourceSilence(string Source, TimeSpan SilentFor, TimeSpan ExpectedEvery);

/// <summary>A source whose backfill has failed its latest runs, and how many in a row.</summary>
public sealed record SourceBackfillFailures(string Source, int FailedRunsInARow);

/// <summary>
/// What one evaluation measured, as plain figures (the store measures, it does not judge): <see cref="AlertRules.Read"/>
/// turns them into readings.
/// </summary>
/// <param name="MinutesPaused">Finished minutes in a row (back from the latest) some instance's relay was paused in.</param>
/// <param name="MinutesWithoutBroker">The same, for a relay without its broker.</param>
/// <param name="Backfills">Sources whose backfill failed its latest runs (none when null).</param>
public sealed record AlertMeasurements(
    IReadOnlyList<SourceRejections> Rejections,
    double OldestPendingSeconds,
    double SlowestPublishSeconds,
    int MinutesPaused,
    int MinutesWithoutBroker,
    long NewDeadLetters,
    IReadOnlyList<SubscriptionHealth> Subscriptions,
    IReadOnlyList<SourceSilence> Silences,
    IReadOnlyList<SourceBackfillFailures>? Backfills = null);
