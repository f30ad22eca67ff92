using Npgsql;
using Webhooks.Domain.Outbox;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.Infrastructure.Relay;

/// <summary>
/// The one statement that writes new events to the outbox, pending and never attempted, due at once: the ingest
/// batch writes its webhooks' events with it, outbound delivery the gateway's own operational events, each inside the
/// transaction that decided them. The events travel as eight parallel arrays, so one statement writes any number.
/// </summary>
internal static class PendingOutboxRows
{
    private const int ArrayCount = 8;

    /// <summary>
    /// The INSERT, reading its arrays from $<paramref name="first"/> on; with <paramref name="inboxIdsIn"/> (a
    /// subquery) it writes only the events whose inbox row that subquery returns.
    /// </summary>
    public static string InsertSql(int first, string? inboxIdsIn = null) => $"""
        INSERT INTO outbox_messages (id, inbox_id, source, event_type, subject, correlation_id, envelope,
                                     status, attempts, next_attempt_at, created_at)
        SELECT e.id, e.inbox_id, e.source, e.event_type, e.subject, e.correlation_id, e.envelope,
               'pending', 0, e.created_at, e.created_at
        FROM unnest(${first}::uuid[], ${first + 1}::uuid[], ${first + 2}::text[], ${first + 3}::text[], ${first + 4}::text[],
                    ${first + 5}::text[], ${first + 6}::text[], ${first + ArrayCount - 1}::timestamptz[])
             AS e(id, inbox_id, source, event_type, subject, correlation_id, envelope, created_at)
        {(inboxIdsIn is null ? "" : $"WHERE e.inbox_id IN ({inboxIdsIn})")}
        """;

    /// <summary>Adds the eight arrays, in the order <see cref="InsertSql"/> reads them.</summary>
    public static void AddArrays(NpgsqlParameterCollection parameters, IReadOnlyList<OutboxMessage> events)
    {
        parameters.Add(PostgresArrays.Of(events.Select(e => e.Id)));
        parameters.Add(PostgresArrays.Of(events.Select(e => e.InboxId)));
        parameters.Add(PostgresArrays.Of(events.Select(e => e.Source)));
        parameters.Add(PostgresArrays.Of(events.Select(e => e.EventType)));
        parameters.Add(PostgresArrays.Of(events.Select(e => e.Subject)));
        parameters.Add(PostgresArrays.Of(events.Select(e => e.CorrelationId)));
        parameters.Add(PostgresArrays.Of(events.Select(e => e.Envelope)));
        parameters.Add(PostgresArrays.Of(events.Select(e => e.CreatedAt)));
    }
}
