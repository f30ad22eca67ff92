namespace Webhooks.Application.Common.Abstractions;

/// <summary>Counts and times each ingestion answer by source and outcome (metrics and the stats endpoint).</summary>
public interface IIngestObserver
{
    void Record(string source, string outcome, double seconds);
}

/// <summary>The metrics in Prometheus text format, for the scrape endpoint.</summary>
public interface IMetricsExposition
{
    string Render();
}
