namespace Webhooks.Application.Common.Abstractions;

/// <summary>Counts and times each ingestion answer by source and outcome (metrics and the stats endpoint).</summary>
public interface IIngestObserver
{
    /// <param name="client">The client's address (kept, a few per source and minute, for rejected deliveries only).</param>
    void Record(string source, string outcome, double seconds, string? client);
}

/// <summary>The metrics in Prometheus text format, for the scrape endpoint.</summary>
public interface IMetricsExposition
{
    /// <summary>Writes the Prometheus text format (0.0.4) to <paramref name="destination"/>.</summary>
    Task WriteAsync(Stream destination, CancellationToken cancellationToken);
}
