using System.Collections.Concurrent;
using System.Text.Json;
using Npgsql;
using Webhooks.Domain.Delivery;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Delivery.Intake;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>
/// An event offered to the outbound subscriptions (a measured path, hand-written SQL): the event row and one pending
/// delivery per matching subscription, in the caller's transaction. Outbound intake uses it for published events, the
/// outbox writer for the gateway's own.
/// </summary>
internal static class SubscriptionFanOut
{
    private const int MaxCachedFilters = 10_000;

    /// <summary>Filters parsed once per distinct JSON (null: one that cannot be parsed, which matches nothing).</summary>
    private static readonly ConcurrentDictionary<string, EventFilter?> Filters = new(StringComparer.Ordinal);

    /// <summary>
    /// Stores the event and one pending delivery per active subscription of its application (of every application for
    /// the gateway's own and inbound events) whose patterns match and whose filter passes — but the one the event is
    /// about — in the caller's transaction. An event id seen before changes nothing and answers the first fan-out;
    /// with <paramref name="inboundOnly"/> an event no opted-in subscription wants is not stored.
    /// </summary>
    public static async Task<PublishedEvent> FanOutAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, OutboundEvent outbound, bool inboundOnly, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var targets = new List<Guid>();
        await using (var select = new NpgsqlCommand("""
            SELECT id, events, include_inbound, filter::text AS filter FROM subscriptions
            WHERE is_active AND ($1::uuid IS NULL OR application_id = $1)
            """, connection, transaction))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = outbound.ApplicationId is { } application ? application : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            int id = reader.GetOrdinal("id"), events = reader.GetOrdinal("events"), inbound = reader.GetOrdinal("include_inbound"), filter = reader.GetOrdinal("filter");
            while (await reader.ReadAsync(cancellationToken))
            {
                if ((!inboundOnly || reader.GetBoolean(inbound)) && reader.GetGuid(id) != outbound.AboutSubscription
                    && EventPatterns.Matches(reader.GetFieldValue<string[]>(events), outbound.Type)
                    && (reader.IsDBNull(filter) || FilterOf(reader.GetString(filter))?.Matches(outbound.Type, outbound.Data) == true))
                {
                    targets.Add(reader.GetGuid(id));
                }
            }
        }

        if (inboundOnly && targets.Count == 0)
        {
            return new PublishedEvent(outbound.Id, 0, false);
        }

        var inserted = await Sql.ExecuteAsync(connection, transaction, """
            INSERT INTO outbound_events (id, type, data, origin, fanned_out, created_at, about_subscription, occurred_at, application_id)
            VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (id) DO NOTHING
            """, cancellationToken, outbound.Id, outbound.Type, outbound.Data.GetRawText(), outbound.Origin, targets.Count, now,
            outbound.AboutSubscription is { } about ? about : DBNull.Value, outbound.OccurredAt is { } occurred ? occurred : DBNull.Value,
            new NpgsqlParameter { Value = outbound.ApplicationId is { } owner ? owner : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        if (inserted == 0)
        {
            await using var first = new NpgsqlCommand("SELECT fanned_out, application_id FROM outbound_events WHERE id = $1", connection, transaction);
            first.Parameters.Add(new NpgsqlParameter { Value = outbound.Id });
            await using var reader = await first.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var publishedTo = reader.IsDBNull(1) ? (Guid?)null : reader.GetGuid(1);
            if (publishedTo != outbound.ApplicationId)
            {
                // Another application's event: not a duplicate of this one. Answering its fan-out would let one
                // tenant silence another's events by publishing their ids first.
                throw new ConflictException($"The event id '{outbound.Id}' is already taken; publish this event under another id.");
            }

            return new PublishedEvent(outbound.Id, reader.GetInt32(0), true);
        }

        if (targets.Count > 0)
        {
            await Sql.ExecuteAsync(connection, transaction, $"""
                INSERT INTO deliveries (id, event_id, subscription_id, event_type, status, next_attempt_at, created_at)
                SELECT d, $2, s, $3, '{DeliveryStatus.Pending.Text()}', $4, $4 FROM unnest($1::uuid[], $5::uuid[]) AS t(d, s)
                """, cancellationToken, targets.Select(_ => Guid.CreateVersion7(now)).ToArray(), outbound.Id, outbound.Type, now, targets.ToArray());
        }

        return new PublishedEvent(outbound.Id, targets.Count, false);
    }

    private static EventFilter? FilterOf(string json)
    {
        if (Filters.TryGetValue(json, out var cached))
        {
            return cached;
        }

        EventFilter? parsed;
        try
        {
            using var document = JsonDocument.Parse(json);
            parsed = EventFilter.Parse(document.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or EventFilterException)
        {
            parsed = null; // written before the rules that refuse it: it lets nothing through rather than everything
        }

        if (Filters.Count >= MaxCachedFilters)
        {
            Filters.Clear();
        }

        Filters[json] = parsed;
        return parsed;
    }
}
