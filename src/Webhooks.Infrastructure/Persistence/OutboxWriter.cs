using System.Text.Json;
using Npgsql;
using Webhooks.Domain.Outbox;
using Webhooks.Application.Delivery.Intake;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>
/// The one place that writes new events to the outbox, pending and never attempted, due at once, always inside the
/// transaction that decided them: the ingest batch composes <see cref="InsertSql"/> into its own statement, everything
/// else (delivery results, alerts, the per-minute figures, an operator's replay through the EF unit of work) calls
/// <see cref="WriteAsync"/>. Gateway events (evt.gateway.*) are also offered to the outbound subscriptions that name
/// them, in the same transaction — never to the subscription one is about. The events travel as nine parallel arrays,
/// so one statement writes any number.
/// </summary>
internal static class OutboxWriter
{
    private const int ArrayCount = 9;

    /// <summary>
    /// The INSERT, reading its arrays from $<paramref name="first"/> on; with <paramref name="inboxIdsIn"/> (a
    /// subquery) it writes only the events whose inbox row that subquery returns.
    /// </summary>
    public static string InsertSql(int first, string? inboxIdsIn = null) => $"""
        INSERT INTO outbox_messages (id, inbox_id, source, event_type, subject, correlation_id, envelope, payload_at,
                                     status, attempts, next_attempt_at, created_at)
        SELECT e.id, e.inbox_id, e.source, e.event_type, e.subject, e.correlation_id, e.envelope, e.payload_at,
               'pending', 0, e.created_at, e.created_at
        FROM unnest(${first}::uuid[], ${first + 1}::uuid[], ${first + 2}::text[], ${first + 3}::text[], ${first + 4}::text[],
                    ${first + 5}::text[], ${first + 6}::text[], ${first + 7}::integer[], ${first + ArrayCount - 1}::timestamptz[])
             AS e(id, inbox_id, source, event_type, subject, correlation_id, envelope, payload_at, created_at)
        {(inboxIdsIn is null ? "" : $"WHERE e.inbox_id IN ({inboxIdsIn})")}
        """;

    /// <summary>Adds the nine arrays, in the order <see cref="InsertSql"/> reads them.</summary>
    public static void AddArrays(NpgsqlParameterCollection parameters, IReadOnlyList<OutboxMessage> events)
    {
        parameters.Add(PostgresArrays.Of(events.Select(e => e.Id)));
        parameters.Add(PostgresArrays.Of(events.Select(e => e.InboxId)));
        parameters.Add(PostgresArrays.Of(events.Select(e => e.Source)));
        parameters.Add(PostgresArrays.Of(events.Select(e => e.EventType)));
        parameters.Add(PostgresArrays.Of(events.Select(e => e.Subject)));
        parameters.Add(PostgresArrays.Of(events.Select(e => e.CorrelationId)));
        parameters.Add(PostgresArrays.Of(events.Select(e => e.Envelope)));
        parameters.Add(PostgresArrays.Of(events.Select(e => e.PayloadAt)));
        parameters.Add(PostgresArrays.Of(events.Select(e => e.CreatedAt)));
    }

    /// <summary>Writes <paramref name="events"/> in the caller's transaction, and offers the gateway's own to the subscriptions.</summary>
    public static async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<OutboxMessage> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        await using (var insert = new NpgsqlCommand(InsertSql(first: 1), connection, transaction))
        {
            AddArrays(insert.Parameters, events);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var gateway in events.Where(IsGatewayEvent))
        {
            using var envelope = JsonDocument.Parse(gateway.Envelope);
            var outbound = new OutboundEvent(gateway.Id.ToString(), gateway.EventType, envelope.RootElement.GetProperty("data").Clone(), "gateway", gateway.AboutSubscription, gateway.CreatedAt);
            await SubscriptionFanOut.FanOutAsync(connection, transaction, outbound, inboundOnly: false, gateway.CreatedAt, cancellationToken);
        }
    }

    /// <summary>Whether subscriptions are offered the event in the transaction that writes it (contract v3: every evt.gateway.*).</summary>
    public static bool IsGatewayEvent(OutboxMessage message) => message.EventType.StartsWith(Contracts.RoutingKeys.GatewayPrefix, StringComparison.Ordinal);
}
