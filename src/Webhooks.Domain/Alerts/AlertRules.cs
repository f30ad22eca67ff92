namespace Webhooks.Domain.Alerts;

/// <summary>Thresholds (Webhooks:Alerts); defaults from the monitor operators ran before: 10 % warns, 30 % is critical.</summary>
public sealed record AlertThresholds(
    double RejectionWarning = 0.10,
    double RejectionCritical = 0.30,
    int MinimumSample = 20,
    double OutboxDelaySeconds = 30,
    int DeadLetters = 10,
    int ConsecutiveFailures = 10,
    int StalledMinutes = 5,
    double PublishLatencySeconds = 5,
    int BackfillFailures = 3);

/// <summary>Turns measurements into readings: the rules, as pure functions of the data.</summary>
public static class AlertRules
{
    public const string RejectionRate = "rejection_rate";
    public const string OutboxDelay = "outbox_delay";
    public const string DeadLetters = "dead_letters";
    public const string SubscriptionFailing = "subscription_failing";
    public const string SubscriptionDisabled = "subscription_disabled";
    public const string SilentSource = "silent_source";
    public const string PublishLatency = "publish_latency";
    public const string RelayPaused = "relay_paused";
    public const string BrokerUnreachable = "broker_unreachable";
    public const string BackfillFailing = "backfill_failing";
    public const string Gateway = "gateway";

    /// <summary>A source's rejected deliveries (400/401/403) against all of its deliveries in the window.</summary>
    public static AlertReading Rejections(string source, long rejected, long total, int windowSeconds, AlertThresholds thresholds)
    {
        var rate = total == 0 ? 0 : (double)rejected / total;
        AlertSeverity? severity = total < thresholds.MinimumSample ? null
            : rate > thresholds.RejectionCritical ? AlertSeverity.Critical
            : rate > thresholds.RejectionWarning ? AlertSeverity.Warning
            : null;
        var threshold = severity == AlertSeverity.Critical ? thresholds.RejectionCritical : thresholds.RejectionWarning;
        return new AlertReading(RejectionRate, source, Math.Round(rate, 4), severity, threshold, windowSeconds);
    }

    /// <summary>The oldest event waiting to be published; ten times the threshold is critical.</summary>
    public static AlertReading Delay(double oldestPendingSeconds, AlertThresholds thresholds)
    {
        AlertSeverity? severity = oldestPendingSeconds > 10 * thresholds.OutboxDelaySeconds ? AlertSeverity.Critical
            : oldestPendingSeconds > thresholds.OutboxDelaySeconds ? AlertSeverity.Warning
            : null;
        return new AlertReading(OutboxDelay, Gateway, Math.Round(oldestPendingSeconds, 1), severity, thresholds.OutboxDelaySeconds, 0);
    }

    public static AlertReading NewDeadLetters(long count, int windowSeconds, AlertThresholds thresholds) =>
        new(DeadLetters, Gateway, count, count > thresholds.DeadLetters ? AlertSeverity.Warning : null, thresholds.DeadLetters, windowSeconds);

    /// <summary>A subscription failing in a row: a warning; disabled by the gateway: critical until re-enabled.</summary>
    public static AlertReading Subscription(Guid subscription, int consecutiveFailures, bool disabledByGateway, AlertThresholds thresholds) =>
        disabledByGateway
            ? new(SubscriptionDisabled, subscription.ToString(), consecutiveFailures, AlertSeverity.Critical, thresholds.ConsecutiveFailures, 0)
            : new(SubscriptionFailing, subscription.ToString(), consecutiveFailures,
                consecutiveFailures >= thresholds.ConsecutiveFailures ? AlertSeverity.Warning : null, thresholds.ConsecutiveFailures, 0);

    /// <summary>
    /// A source expected to deliver at least every <paramref name="expectedEvery"/> that has accepted nothing for
    /// longer (counted from its last accepted delivery, or from its creation if it never had one): a warning, critical
    /// after four times as long.
    /// </summary>
    public static AlertReading Silence(string source, TimeSpan silentFor, TimeSpan expectedEvery)
    {
        AlertSeverity? severity = silentFor > 4 * expectedEvery ? AlertSeverity.Critical
            : silentFor > expectedEvery ? AlertSeverity.Warning
            : null;
        return new AlertReading(SilentSource, source, Math.Round(Math.Max(0, silentFor.TotalSeconds)), severity, expectedEvery.TotalSeconds, 0);
    }

    /// <summary>
    /// The slowest publish-and-confirm of a relay batch in the window. A batch gives up after the relay's publish
    /// timeout (10 s by default), so the threshold sits below it: 5 s by default.
    /// </summary>
    public static AlertReading Latency(double slowestPublishSeconds, int windowSeconds, AlertThresholds thresholds) =>
        new(PublishLatency, Gateway, Math.Round(slowestPublishSeconds, 3),
            slowestPublishSeconds > thresholds.PublishLatencySeconds ? AlertSeverity.Warning : null, thresholds.PublishLatencySeconds, windowSeconds);

    /// <summary>
    /// A relay paused (by an operator) or without its broker for <paramref name="minutes"/> minutes in a row: the
    /// outbox only grows. Paused is a warning (someone chose it); an unreachable broker is critical.
    /// </summary>
    public static AlertReading Stalled(string kind, int minutes, AlertThresholds thresholds)
    {
        AlertSeverity? severity = minutes < thresholds.StalledMinutes ? null
            : kind == BrokerUnreachable ? AlertSeverity.Critical
            : AlertSeverity.Warning;
        return new AlertReading(kind, Gateway, minutes, severity, thresholds.StalledMinutes, thresholds.StalledMinutes * 60);
    }

    /// <summary>
    /// A source's backfill failing run after run (the provider's API refusing the credentials, unreachable, or refused
    /// by the outbound rules): what the provider never resends is not being recovered. A warning from the threshold on.
    /// </summary>
    public static AlertReading Backfill(string source, int failedRunsInARow, AlertThresholds thresholds) =>
        new(BackfillFailing, source, failedRunsInARow,
            failedRunsInARow >= thresholds.BackfillFailures ? AlertSeverity.Warning : null, thresholds.BackfillFailures, 0);

    /// <summary>Every condition the rules judge, from one evaluation's measurements over a window of <paramref name="windowSeconds"/>.</summary>
    public static IReadOnlyList<AlertReading> Read(AlertMeasurements measured, int windowSeconds, AlertThresholds thresholds)
    {
        var readings = measured.Rejections.Select(r => Rejections(r.Source, r.Rejected, r.Total, windowSeconds, thresholds)).ToList();
        readings.Add(Delay(measured.OldestPendingSeconds, thresholds));
        readings.Add(Latency(measured.SlowestPublishSeconds, windowSeconds, thresholds));
        readings.Add(Stalled(RelayPaused, measured.MinutesPaused, thresholds));
        readings.Add(Stalled(BrokerUnreachable, measured.MinutesWithoutBroker, thresholds));
        readings.Add(NewDeadLetters(measured.NewDeadLetters, windowSeconds, thresholds));
        foreach (var subscription in measured.Subscriptions)
        {
            readings.Add(Subscription(subscription.Subscription, subscription.ConsecutiveFailures, subscription.DisabledByGateway, thresholds));
            if (subscription.DisabledByGateway)
            {
                // Disabled, it no longer fails in a row: the "failing" alert clears as the "disabled" one opens.
                readings.Add(Subscription(subscription.Subscription, 0, disabledByGateway: false, thresholds));
            }
        }

        readings.AddRange(measured.Silences.Select(s => Silence(s.Source, s.SilentFor, s.ExpectedEvery)));
        readings.AddRange((measured.Backfills ?? []).Select(b => Backfill(b.Source, b.FailedRunsInARow, thresholds)));
        return readings;
    }
}
