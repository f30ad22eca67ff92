using Webhooks.Domain.DeadLetters;

namespace Webhooks.Application.Admin.DeadLetters;

/// <summary>The bulk-replay and list filter of docs/contract.md (Administration): source, event_type, from, to, error_contains; {} means all.</summary>
public sealed record DeadLetterFilter(string? Source = null, string? EventType = null, DateTimeOffset? From = null, DateTimeOffset? To = null, string? ErrorContains = null)
{
    /// <summary>How a filter is stored with its bulk-replay job (snake_case, as the API takes it).</summary>
    internal static readonly System.Text.Json.JsonSerializerOptions Json = new() { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower };

    public IQueryable<DeadLetter> ApplyTo(IQueryable<DeadLetter> query)
    {
        if (!string.IsNullOrEmpty(Source))
        {
            query = query.Where(d => d.Source == Source);
        }

        if (!string.IsNullOrEmpty(EventType))
        {
            query = query.Where(d => d.EventType == EventType);
        }

        if (From is { } from)
        {
            query = query.Where(d => d.CreatedAt >= from);
        }

        if (To is { } to)
        {
            query = query.Where(d => d.CreatedAt < to);
        }

        if (!string.IsNullOrEmpty(ErrorContains))
        {
            query = query.Where(d => d.LastError != null && d.LastError.Contains(ErrorContains));
        }

        return query;
    }
}
