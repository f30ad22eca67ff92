using System.Text.Json;
using Webhooks.Application.Common.Json;
using Webhooks.Domain.DeadLetters;

namespace Webhooks.Application.Admin.DeadLetters;

public sealed record DeadLetterSummary(Guid Id, Guid EventId, string Source, string EventType, int Attempts, string? LastError, string Status, DateTimeOffset CreatedAt)
{
    public static DeadLetterSummary From(DeadLetter d) =>
        new(d.Id, d.EventId, d.Source, d.EventType, d.Attempts, d.LastError, d.Status.ToString().ToLowerInvariant(), d.CreatedAt);
}

public sealed record DeadLetterDetail(
    Guid Id, Guid EventId, string Source, string EventType, int Attempts, string? LastError, string Status,
    DateTimeOffset CreatedAt, DateTimeOffset? ReplayedAt, DateTimeOffset? ArchivedAt, JsonElement Errors, JsonElement Event)
{
    public static DeadLetterDetail From(DeadLetter d) => new(
        d.Id, d.EventId, d.Source, d.EventType, d.Attempts, d.LastError, d.Status.ToString().ToLowerInvariant(),
        d.CreatedAt, d.ReplayedAt, d.ArchivedAt, Parse(d.Errors), Parse(d.Envelope));

    /// <summary>
    /// Stored envelopes wrap bodies ingest accepted at up to 64 levels in two more: read (and, through the API's
    /// serializer options, written) with room for that.
    /// </summary>
    private static JsonElement Parse(string json) => StoredJson.Element(json);
}

public sealed record ReplayJobView(Guid Id, string Kind, string Status, long Total, long Processed, JsonElement Filter, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Error)
{
    public static ReplayJobView From(Domain.Jobs.ReplayJob job) => new(
        job.Id, job.Kind == Domain.Jobs.ReplayJob.Deliveries ? "delivery-retry" : "dead-letter-replay", job.Status.ToString().ToLowerInvariant(), job.Total, job.Processed,
        JsonDocument.Parse(job.Filter).RootElement.Clone(), job.CreatedAt, job.StartedAt, job.FinishedAt, job.Error);
}
