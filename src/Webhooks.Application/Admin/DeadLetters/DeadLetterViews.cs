using System.Text.Json;
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
        d.CreatedAt, d.ReplayedAt, d.ArchivedAt, JsonDocument.Parse(d.Errors).RootElement.Clone(), JsonDocument.Parse(d.Envelope).RootElement.Clone());
}
