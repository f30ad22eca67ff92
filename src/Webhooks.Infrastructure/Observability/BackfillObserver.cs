using Webhooks.Application.Backfill;

namespace Webhooks.Infrastructure.Observability;

/// <summary>
/// Backfill runs on webhooks_backfill_runs_total{source,outcome}, what they found missing and recovered on
/// webhooks_backfill_missing_total{source} and webhooks_backfill_recovered_total{source}, their duration on
/// webhooks_backfill_run_duration_seconds{source}.
/// </summary>
internal sealed class BackfillObserver(WebhooksMetrics metrics) : IBackfillObserver
{
    public void Ran(string source, string outcome, int found, int recovered, double seconds)
    {
        var bySource = new KeyValuePair<string, object?>("source", source);
        metrics.BackfillRuns.Add(1, bySource, new KeyValuePair<string, object?>("outcome", outcome));
        metrics.BackfillMissing.Add(found, bySource);
        metrics.BackfillRecovered.Add(recovered, bySource);
        metrics.BackfillDuration.Record(seconds, bySource);
    }
}
