using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using Webhooks.Application.Ingestion;
using Webhooks.Domain.Outbox;
using Webhooks.Infrastructure.Messaging;

namespace Webhooks.Infrastructure.Relay;

/// <summary>
/// The relay's SQL: claims with FOR UPDATE SKIP LOCKED and a lease, so several instances share the work. Its
/// connections commit asynchronously (see <see cref="DataSourceKey"/>).
/// </summary>
internal sealed class OutboxStore([FromKeyedServices(OutboxStore.DataSourceKey)] NpgsqlDataSource dataSource)
{
    /// <summary>The relay's data source: synchronous_commit off, since a lost relay write only repeats a publish.</summary>
    public const string DataSourceKey = "relay";

    /// <summary>
    /// Claims up to <paramref name="limit"/> due rows, oldest first, but no more envelope bytes than
    /// <paramref name="maxBytes"/> (always at least one row): a few large events cannot fill a lane's memory, and the
    /// rows behind them are not held back by their publishing.
    /// </summary>
    public async Task<List<ClaimedEvent>> ClaimAsync(string owner, int limit, long maxBytes, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        // octet_length reads the stored sizes without detoasting. An envelope stored without its webhook body
        // (payload_at) gets the body from the inbox row here, once, on its way to the broker.
        const string sql = """
            WITH due AS (
                SELECT o.id, o.inbox_id, o.payload_at, o.next_attempt_at,
                       octet_length(o.envelope) + coalesce(octet_length(i.body), 0) AS bytes
                FROM outbox_messages o
                LEFT JOIN inbox_messages i ON o.payload_at IS NOT NULL AND i.id = o.inbox_id
                WHERE o.status = 'pending' AND o.next_attempt_at <= $3 AND (o.claimed_until IS NULL OR o.claimed_until < $3)
                ORDER BY o.next_attempt_at
                LIMIT $4
                FOR UPDATE OF o SKIP LOCKED),
            picked AS (
                SELECT id, inbox_id, payload_at FROM (
                    SELECT id, inbox_id, payload_at, row_number() OVER w AS n, sum(bytes) OVER w AS running FROM due
                    WINDOW w AS (ORDER BY next_attempt_at, id ROWS UNBOUNDED PRECEDING)) r
                WHERE n = 1 OR running <= $5)
            UPDATE outbox_messages o
            SET claimed_by = $1, claimed_until = $2
            FROM picked
            LEFT JOIN inbox_messages i ON picked.payload_at IS NOT NULL AND i.id = picked.inbox_id
            WHERE o.id = picked.id
            RETURNING o.id, o.source, o.event_type, o.correlation_id, o.envelope, o.attempts, o.payload_at, i.body
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = owner });
        command.Parameters.Add(new NpgsqlParameter { Value = (now + lease).UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = now.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        command.Parameters.Add(new NpgsqlParameter { Value = maxBytes });
        var claimed = new List<ClaimedEvent>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        int id = reader.GetOrdinal("id"), source = reader.GetOrdinal("source"), type = reader.GetOrdinal("event_type"),
            correlation = reader.GetOrdinal("correlation_id"), envelope = reader.GetOrdinal("envelope"), attempts = reader.GetOrdinal("attempts"),
            payloadAt = reader.GetOrdinal("payload_at"), body = reader.GetOrdinal("body");
        while (await reader.ReadAsync(cancellationToken))
        {
            var text = reader.GetString(envelope);
            if (!reader.IsDBNull(payloadAt))
            {
                // A body retention already removed (an event that waited longer than the inbox keeps rows) is null.
                text = reader.IsDBNull(body)
                    ? CloudEventEnvelope.WithPayload(text, reader.GetInt32(payloadAt), [], bodyMissing: true)
                    : CloudEventEnvelope.WithPayload(text, reader.GetInt32(payloadAt), reader.GetFieldValue<byte[]>(body));
            }

            claimed.Add(new ClaimedEvent(
                reader.GetGuid(id), reader.GetString(source), reader.GetString(type),
                reader.IsDBNull(correlation) ? null : reader.GetString(correlation), text, reader.GetInt32(attempts)));
        }

        // Publish oldest first within the batch (UPDATE … RETURNING has no order of its own).
        claimed.Sort((a, b) => a.Id.CompareTo(b.Id));
        return claimed;
    }

    public async Task MarkPublishedAsync(IReadOnlyCollection<Guid> ids, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE outbox_messages
            SET status = 'published', published_at = $2, attempts = attempts + 1, last_error = NULL,
                claimed_by = NULL, claimed_until = NULL
            WHERE id = ANY($1)
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = now.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Gives claims back without spending attempts (the broker was unreachable, or the service stops).</summary>
    public async Task ReleaseAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE outbox_messages SET claimed_by = NULL, claimed_until = NULL WHERE id = ANY($1) AND status = 'pending'");
        command.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Records a refused publish: schedules the retry, or moves the event to the dead letters when spent.</summary>
    public async Task<(bool Dead, DateTimeOffset RetryAt)> RecordFailureAsync(ClaimedEvent claimed, string error, DateTimeOffset now, RetryPolicy policy, double jitterSample, CancellationToken cancellationToken)
    {
        var message = OutboxMessage.Restore(claimed.Id, claimed.Source, claimed.EventType, claimed.CorrelationId, claimed.Envelope, claimed.Attempts);
        var dead = message.Fail(error, now, policy, jitterSample);
        var entry = JsonSerializer.Serialize(new[] { new { at = now.UtcDateTime, attempt = message.Attempts, error } });

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var update = new NpgsqlCommand("""
            UPDATE outbox_messages
            SET attempts = $2, next_attempt_at = $3, last_error = $4, errors = errors || $5::jsonb, status = $6,
                claimed_by = NULL, claimed_until = NULL,
                -- A dead event keeps its complete envelope: replayed later, it no longer needs an inbox row that
                -- retention may have removed by then.
                envelope = CASE WHEN $6 = 'dead' THEN $7 ELSE envelope END,
                payload_at = CASE WHEN $6 = 'dead' THEN NULL ELSE payload_at END
            WHERE id = $1
            """, connection, transaction))
        {
            update.Parameters.Add(new NpgsqlParameter { Value = claimed.Id });
            update.Parameters.Add(new NpgsqlParameter { Value = message.Attempts });
            update.Parameters.Add(new NpgsqlParameter { Value = message.NextAttemptAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            update.Parameters.Add(new NpgsqlParameter { Value = error });
            update.Parameters.Add(new NpgsqlParameter { Value = entry });
            update.Parameters.Add(new NpgsqlParameter { Value = dead ? "dead" : "pending" });
            update.Parameters.Add(new NpgsqlParameter { Value = claimed.Envelope });
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        if (dead)
        {
            await using var insert = new NpgsqlCommand("""
                INSERT INTO dead_letters (id, event_id, source, event_type, envelope, attempts, errors, last_error, status, created_at)
                SELECT $1, o.id, o.source, o.event_type, o.envelope, o.attempts, o.errors, o.last_error, 'dead', $2
                FROM outbox_messages o WHERE o.id = $3
                """, connection, transaction);
            insert.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7(now) });
            insert.Parameters.Add(new NpgsqlParameter { Value = now.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            insert.Parameters.Add(new NpgsqlParameter { Value = claimed.Id });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (dead, message.NextAttemptAt);
    }

    /// <summary>Frees claims whose lease ran out (their instance died mid-batch).</summary>
    public async Task<int> ReleaseExpiredClaimsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE outbox_messages SET claimed_by = NULL, claimed_until = NULL WHERE status = 'pending' AND claimed_until < $1");
        command.Parameters.Add(new NpgsqlParameter { Value = now.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<(long Count, DateTimeOffset? Oldest)> BacklogAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT count(*) AS backlog, min(created_at) AS oldest FROM outbox_messages WHERE status = 'pending'");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        int backlog = reader.GetOrdinal("backlog"), oldestAt = reader.GetOrdinal("oldest");
        var oldest = reader.IsDBNull(oldestAt) ? (DateTimeOffset?)null : new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(oldestAt), DateTimeKind.Utc));
        return (reader.GetInt64(backlog), oldest);
    }
}
