using Webhooks.Application.Common.Abstractions;

namespace Webhooks.Infrastructure.Observability;

/// <summary>Each ingestion answer into the metrics (received by source and outcome, duration) and the stats' tally.</summary>
internal sealed class IngestObserver(WebhooksMetrics metrics, IngestTally tally, IngestMinutes minutes) : IIngestObserver
{
    public void Record(string source, string outcome, double seconds, string? client, IngestRejection? rejection = null)
    {
        var sourceTag = new KeyValuePair<string, object?>("source", source);
        metrics.Received.Add(1, sourceTag, new KeyValuePair<string, object?>("outcome", outcome));
        metrics.IngestDuration.Record(seconds, sourceTag);
        tally.Record(outcome, seconds);
        minutes.Add(source, outcome, client, rejection);
    }
}
