namespace Webhooks.Application.Common.Abstractions;

/// <summary>The metrics in Prometheus text format, for the scrape endpoint.</summary>
public interface IMetricsExposition
{
    /// <summary>Writes the Prometheus text format (0.0.4) to <paramref name="destination"/>.</summary>
    Task WriteAsync(Stream destination, CancellationToken cancellationToken);
}
