using Npgsql;
using Webhooks.Application.Delivery;
using Webhooks.Domain.Delivery;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.Infrastructure.Delivery;

/// <summary>
/// Outbound intake in PostgreSQL: the event and its fan-out to matching subscriptions in one transaction, with the
/// inbound opt-ins cached. Subscriptions themselves are kept through the EF model (the Delivery use cases).
/// </summary>
internal sealed class PostgresDeliveryIntake(NpgsqlDataSource dataSource, DeliverySignal signal, TimeProvider clock) : IDeliveryIntake
{
    private InboundPatterns? inboundWanted;
    private long subscriptionChanges;

    public async Task<PublishedEvent> IntakeAsync(OutboundEvent outbound, bool inboundOnly, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (inboundOnly && !(await InboundPatternsAsync(now, cancellationToken)).Any(patterns => EventPatterns.Matches(patterns, outbound.Type)))
        {
            return new PublishedEvent(outbound.Id, 0, false); // the common case: nobody wants it, and no query per event
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var published = await FanOutAsync(connection, transaction, outbound, inboundOnly, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (!published.Duplicate && published.Subscriptions > 0)
        {
            signal.Notify();
        }

        return published;
    }

    /// <summary>A subscription changed through this instance: its next inbound event re-reads the patterns.</summary>
    public void SubscriptionsChanged() => Interlocked.Increment(ref subscriptionChanges);

    public void DeliveriesQueued() => signal.Notify();

    /// <summary>
    /// Stores the event and one pending delivery per active subscription whose patterns match (but the one the event is
    /// about), in the caller's transaction. An event id seen before changes nothing and answers the
    /// first fan-out; with <paramref name="inboundOnly"/> an event no opted-in subscription wants is not stored.
    /// </summary>
    internal static async Task<PublishedEvent> FanOutAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, OutboundEvent outbound, bool inboundOnly, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var targets = new List<Guid>();
        await using (var select = new NpgsqlCommand("SELECT id, events, include_inbound FROM subscriptions WHERE is_active", connection, transaction))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            int id = reader.GetOrdinal("id"), events = reader.GetOrdinal("events"), inbound = reader.GetOrdinal("include_inbound");
            while (await reader.ReadAsync(cancellationToken))
            {
                if ((!inboundOnly || reader.GetBoolean(inbound)) && reader.GetGuid(id) != outbound.AboutSubscription && EventPatterns.Matches(reader.GetFieldValue<string[]>(events), outbound.Type))
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
            INSERT INTO outbound_events (id, type, data, origin, fanned_out, created_at, about_subscription, occurred_at) VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8)
            ON CONFLICT (id) DO NOTHING
            """, cancellationToken, outbound.Id, outbound.Type, outbound.Data.GetRawText(), outbound.Origin, targets.Count, now,
            outbound.AboutSubscription is { } about ? about : DBNull.Value, outbound.OccurredAt is { } occurred ? occurred : DBNull.Value);
        if (inserted == 0)
        {
            await using var first = new NpgsqlCommand("SELECT fanned_out FROM outbound_events WHERE id = $1", connection, transaction);
            first.Parameters.Add(new NpgsqlParameter { Value = outbound.Id });
            var count = (int)(await first.ExecuteScalarAsync(cancellationToken))!;
            return new PublishedEvent(outbound.Id, count, true);
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

    /// <summary>
    /// The patterns of the active subscriptions that opted in to inbound events, re-read at most every 2 s, and at
    /// once after a change through this instance (other instances see it within the 2 s). A read that a change
    /// overtook is used once but not kept.
    /// </summary>
    private async Task<string[][]> InboundPatternsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var changes = Interlocked.Read(ref subscriptionChanges);
        if (Volatile.Read(ref inboundWanted) is { } cached && now < cached.Until && cached.Changes == changes)
        {
            return cached.Patterns;
        }

        await using var command = dataSource.CreateCommand("SELECT events FROM subscriptions WHERE is_active AND include_inbound");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var patterns = new List<string[]>();
        var events = reader.GetOrdinal("events");
        while (await reader.ReadAsync(cancellationToken))
        {
            patterns.Add(reader.GetFieldValue<string[]>(events));
        }

        var read = new InboundPatterns(now.AddSeconds(2), [.. patterns], changes);
        Volatile.Write(ref inboundWanted, read);
        return read.Patterns;
    }
}

/// <summary>The inbound opt-in patterns as read, until when they may be reused, and the change count they reflect.</summary>
internal sealed record InboundPatterns(DateTimeOffset Until, string[][] Patterns, long Changes);
