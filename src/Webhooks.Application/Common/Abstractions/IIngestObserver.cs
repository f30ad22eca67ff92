namespace Webhooks.Application.Common.Abstractions;

/// <summary>Counts and times each ingestion answer by source and outcome (metrics and the stats endpoint).</summary>
public interface IIngestObserver
{
    /// <param name="client">The client's address (kept, a few per source and minute, for rejected deliveries only).</param>
    /// <param name="rejection">Why a delivery to a known source was refused: announced as evt.webhook.validation.failed.</param>
    void Record(string source, string outcome, double seconds, string? client, IngestRejection? rejection = null);
}

/// <summary>A refused delivery to a known source: the reason given, the topic it named (as received), the source's provider.</summary>
public sealed record IngestRejection(string Reason, string? Topic, string Provider);
