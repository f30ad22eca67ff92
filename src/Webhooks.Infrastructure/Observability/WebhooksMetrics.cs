using System.Diagnostics.Metrics;

namespace Webhooks.Infrastructure.Observability;

/// <summary>
/// The service's instruments (System.Diagnostics.Metrics, meter "Webhooks"). Label values are bounded: configured
/// source names (unknown ones become "unknown"), outcomes, event types and failure reasons — never ids or merchants.
/// </summary>
public sealed class WebhooksMetrics : IDisposable
{
    public const string MeterName = "Webhooks";
    public const string PublishedName = "webhooks_events_published_total";
    public const string PublishDurationName = "webhooks_relay_publish_duration_seconds";
    public const string DeliveriesName = "webhooks_deliveries_total";

    private readonly Meter meter = new(MeterName, "1.0.0");

    public WebhooksMetrics()
    {
        Received = meter.CreateCounter<long>("webhooks_received_total", description: "Webhooks received, by source and outcome");
        IngestDuration = meter.CreateHistogram<double>("webhooks_ingest_duration_seconds", "s", "Time from request start to answer, by source");
        Published = meter.CreateCounter<long>(PublishedName, description: "Events confirmed by the broker, by type");
        PublishFailures = meter.CreateCounter<long>("webhooks_publish_failures_total", description: "Publishes that failed, by reason");
        RelayBatchSize = meter.CreateHistogram<double>("webhooks_relay_batch_size", description: "Events claimed per relay cycle");
        PublishLatency = meter.CreateHistogram<double>(PublishDurationName, "s", "Time to publish a claimed batch and get its confirms");
        Deliveries = meter.CreateCounter<long>(DeliveriesName, description: "Outbound delivery attempts, by outcome (succeeded, failed)");
        BackfillRuns = meter.CreateCounter<long>("webhooks_backfill_runs_total", description: "Backfill runs, by source and outcome (succeeded, incomplete, rate_limited, failed)");
        BackfillMissing = meter.CreateCounter<long>("webhooks_backfill_missing_total", description: "Webhooks backfill runs found missing (failed GitHub deliveries, Stripe events the inbox lacks), by source");
        BackfillRecovered = meter.CreateCounter<long>("webhooks_backfill_recovered_total", description: "Redeliveries asked (GitHub) and events imported (Stripe) by backfill runs, by source");
        BackfillDuration = meter.CreateHistogram<double>("webhooks_backfill_run_duration_seconds", "s", "How long a source's backfill run took");
        meter.CreateObservableGauge("webhooks_outbox_backlog", () => Backlog.Count, description: "Events waiting to be published");
        meter.CreateObservableGauge("webhooks_outbox_oldest_age_seconds", () => Backlog.OldestAgeSeconds, "s", "Age of the oldest waiting event");
        meter.CreateObservableGauge("webhooks_dead_letters", () => Backlog.DeadLetters, description: "Dead letters not yet replayed or archived");
    }

    public Counter<long> Received { get; }

    public Histogram<double> IngestDuration { get; }

    public Counter<long> Published { get; }

    public Counter<long> PublishFailures { get; }

    public Histogram<double> RelayBatchSize { get; }

    public Histogram<double> PublishLatency { get; }

    public Counter<long> Deliveries { get; }

    public Counter<long> BackfillRuns { get; }

    public Counter<long> BackfillMissing { get; }

    public Counter<long> BackfillRecovered { get; }

    public Histogram<double> BackfillDuration { get; }

    /// <summary>The backlog figures, refreshed by a background sampler (a scrape never queries the database).</summary>
    public BacklogSnapshot Backlog { get; set; } = new(0, 0, 0);

    /// <summary>This instance's meter (several hosts in one process each have their own, all named "Webhooks").</summary>
    public Meter Meter => meter;

    public void Dispose() => meter.Dispose();
}

public sealed record BacklogSnapshot(long Count, double OldestAgeSeconds, long DeadLetters);
