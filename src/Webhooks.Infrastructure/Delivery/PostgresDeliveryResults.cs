using Npgsql;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Delivery.Sending;
using Webhooks.Domain.Delivery;
using Webhooks.Domain.Outbox;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.Infrastructure.Delivery;

/// <summary>
/// The recording of delivery results in PostgreSQL (a measured hot path, hand-written SQL): each step is one statement
/// over arrays, whatever the batch's size. It stores what the Application decided and decides nothing.
/// </summary>
internal sealed class PostgresDeliveryResults(NpgsqlDataSource dataSource) : IDeliveryResultStore
{
    public async Task<IDeliveryResultBatch> BeginAsync(CancellationToken cancellationToken)
    {
        try
        {
            var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            try
            {
                return new Batch(connection, await connection.BeginTransactionAsync(cancellationToken));
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }
        catch (NpgsqlException ex) when (ex.IsTransient)
        {
            throw new StorageUnavailableException($"the database is unreachable ({ex.Message})", ex);
        }
    }

    /// <summary>One line of a subscription's log for a test send (no delivery, no counters).</summary>
    public async Task LogTestAsync(Guid subscriptionId, string eventType, AttemptOutcome outcome, string? error, string payload, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Sql.ExecuteAsync(connection, null, """
            INSERT INTO delivery_attempts (id, subscription_id, delivery_id, event, attempt, status_code, response_time_ms, response_body, error, created_at, payload)
            VALUES ($1, $2, NULL, $3, 1, $4, $5, $6, $7, $8, $9)
            """, cancellationToken, Guid.CreateVersion7(now), subscriptionId, eventType, Nullable(outcome.StatusCode, NpgsqlTypes.NpgsqlDbType.Integer), outcome.ResponseTimeMs,
            Nullable(outcome.ResponseBody, NpgsqlTypes.NpgsqlDbType.Text), Nullable(error, NpgsqlTypes.NpgsqlDbType.Text), now, payload);
    }

    private static NpgsqlParameter Nullable(object? value, NpgsqlTypes.NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };

    private sealed class Batch(NpgsqlConnection connection, NpgsqlTransaction transaction) : IDeliveryResultBatch
    {
        public async Task<IReadOnlyDictionary<Guid, SubscriptionCounters>> StoreAsync(IReadOnlyList<FinishedAttempt> results, DateTimeOffset now, CancellationToken cancellationToken)
        {
            var before = new Dictionary<Guid, SubscriptionCounters>();
            await using var batch = new NpgsqlBatch(connection, transaction);
            // The subscriptions are locked first and in id order: batches of several workers never wait on each other
            // in a circle, and a concurrent delete (subscription, then its deliveries) finishes before or after this one.
            // A subscription row held elsewhere (an operator deleting it with its backlog) fails this batch within 2 s,
            // so the batch is split and only that subscription's results wait.
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL lock_timeout = '2s'"));
            var locking = new NpgsqlBatchCommand("""
                SELECT id, success_count, failure_count, consecutive_failures, failing_since, last_triggered_at, last_error, is_active
                FROM subscriptions WHERE id = ANY ($1) ORDER BY id FOR NO KEY UPDATE
                """);
            locking.Parameters.Add(PostgresArrays.Of(results.Where(r => r.Attempted).Select(r => r.Delivery.Endpoint.Id).Distinct()));
            batch.BatchCommands.Add(locking);
            batch.BatchCommands.Add(DeliveriesCommand(results, now));
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            int id = reader.GetOrdinal("id"), successes = reader.GetOrdinal("success_count"), failures = reader.GetOrdinal("failure_count"),
                streak = reader.GetOrdinal("consecutive_failures"), since = reader.GetOrdinal("failing_since"), last = reader.GetOrdinal("last_triggered_at"),
                error = reader.GetOrdinal("last_error"), active = reader.GetOrdinal("is_active");
            while (await reader.ReadAsync(cancellationToken))
            {
                before[reader.GetGuid(id)] = new SubscriptionCounters(
                    reader.GetInt64(successes), reader.GetInt64(failures), reader.GetInt32(streak),
                    reader.IsDBNull(since) ? null : reader.GetFieldValue<DateTimeOffset>(since),
                    reader.IsDBNull(last) ? null : reader.GetFieldValue<DateTimeOffset>(last),
                    reader.IsDBNull(error) ? null : reader.GetString(error),
                    reader.GetBoolean(active));
            }

            while (await reader.NextResultAsync(cancellationToken))
            {
                // The update answers no rows; reading on surfaces its errors here.
            }

            return before;
        }

        public async Task StoreCountersAsync(IReadOnlyDictionary<Guid, SubscriptionCounters> counters, CancellationToken cancellationToken)
        {
            await using var command = new NpgsqlCommand("""
                UPDATE subscriptions s SET success_count = c.success_count, failure_count = c.failure_count,
                    consecutive_failures = c.consecutive_failures, failing_since = c.failing_since,
                    last_triggered_at = c.last_triggered_at, last_error = c.last_error
                FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::integer[], $5::timestamptz[], $6::timestamptz[], $7::text[])
                    AS c(id, success_count, failure_count, consecutive_failures, failing_since, last_triggered_at, last_error)
                WHERE s.id = c.id
                """, connection, transaction);
            command.Parameters.Add(PostgresArrays.Of(counters.Keys));
            command.Parameters.Add(PostgresArrays.Of(counters.Values.Select(c => c.SuccessCount)));
            command.Parameters.Add(PostgresArrays.Of(counters.Values.Select(c => c.FailureCount)));
            command.Parameters.Add(PostgresArrays.Of(counters.Values.Select(c => c.ConsecutiveFailures)));
            command.Parameters.Add(PostgresArrays.Of(counters.Values.Select(c => c.FailingSince)));
            command.Parameters.Add(PostgresArrays.Of(counters.Values.Select(c => c.LastTriggeredAt)));
            command.Parameters.Add(PostgresArrays.Of(counters.Values.Select(c => c.LastError)));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        public async Task<IReadOnlyList<(Guid Id, string Url, string Reason)>> DisableAsync(IReadOnlyList<(Guid Id, string Reason)> disabling, DateTimeOffset now, CancellationToken cancellationToken)
        {
            var reasons = disabling.ToDictionary(d => d.Id, d => d.Reason);
            var disabled = new List<(Guid, string, string)>();
            await using var update = new NpgsqlCommand("""
                UPDATE subscriptions s SET is_active = false, disabled_at = $3, disabled_reason = r.reason, updated_at = $3
                FROM unnest($1::uuid[], $2::text[]) AS r(id, reason)
                WHERE s.id = r.id AND s.is_active
                RETURNING s.id, s.url
                """, connection, transaction);
            update.Parameters.Add(PostgresArrays.Of(disabling.Select(d => d.Id)));
            update.Parameters.Add(PostgresArrays.Of(disabling.Select(d => (string?)d.Reason)));
            update.Parameters.Add(new NpgsqlParameter { Value = now });
            await using var reader = await update.ExecuteReaderAsync(cancellationToken);
            int id = reader.GetOrdinal("id"), url = reader.GetOrdinal("url");
            while (await reader.ReadAsync(cancellationToken))
            {
                var subscription = reader.GetGuid(id);
                disabled.Add((subscription, reader.GetString(url), reasons[subscription]));
            }

            return disabled;
        }

        public Task AnnounceAsync(IReadOnlyList<OutboxMessage> events, CancellationToken cancellationToken) =>
            OutboxWriter.WriteAsync(connection, transaction, events, cancellationToken);

        public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }

        /// <summary>The deliveries' new states, and a log line (with the body sent) for each real attempt of a delivery that still exists.</summary>
        private static NpgsqlBatchCommand DeliveriesCommand(IReadOnlyList<FinishedAttempt> results, DateTimeOffset now)
        {
            var pending = DeliveryStatus.Pending.Text();
            var command = new NpgsqlBatchCommand($"""
                WITH u AS (
                    SELECT * FROM unnest($1::uuid[], $2::text[], $3::integer[], $4::timestamptz[], $5::integer[], $6::text[], $7::boolean[], $9::text[])
                        AS u(id, status, attempts, next_attempt_at, last_status, last_error, attempted, owner)),
                updated AS (
                    UPDATE deliveries d SET status = u.status, attempts = u.attempts, next_attempt_at = COALESCE(u.next_attempt_at, d.next_attempt_at),
                        last_status = CASE WHEN u.attempted THEN u.last_status ELSE d.last_status END,
                        last_error = CASE WHEN u.attempted THEN u.last_error ELSE d.last_error END,
                        completed_at = CASE WHEN u.status = '{pending}' THEN NULL ELSE $8 END, claimed_by = NULL, claimed_until = NULL
                    -- Only while the delivery is still this claim's: once a lapsed lease let another instance take it, that
                    -- instance's result is the one that stands (this attempt is not logged either).
                    FROM u WHERE d.id = u.id AND d.status = '{pending}' AND d.claimed_by = u.owner
                    RETURNING d.id)
                INSERT INTO delivery_attempts (id, subscription_id, delivery_id, event, attempt, status_code, response_time_ms, response_body, error, created_at)
                SELECT a.id, a.subscription_id, a.delivery_id, a.event, a.attempt, a.status_code, a.response_time_ms, a.response_body, a.error, a.created_at
                FROM unnest($10::uuid[], $11::uuid[], $12::uuid[], $13::text[], $14::integer[], $15::integer[], $16::integer[], $17::text[], $18::text[], $19::timestamptz[])
                    AS a(id, subscription_id, delivery_id, event, attempt, status_code, response_time_ms, response_body, error, created_at)
                WHERE a.delivery_id IN (SELECT id FROM updated)
                """);
            command.Parameters.Add(PostgresArrays.Of(results.Select(r => r.Delivery.DeliveryId)));
            command.Parameters.Add(PostgresArrays.Of(results.Select(r => (string?)r.Status.Text())));
            command.Parameters.Add(PostgresArrays.Of(results.Select(r => r.Attempted ? r.Attempt : r.Delivery.Attempts)));
            command.Parameters.Add(PostgresArrays.Of(results.Select(r => r.NextAttemptAt)));
            command.Parameters.Add(PostgresArrays.Of(results.Select(r => r.Outcome.StatusCode)));
            command.Parameters.Add(PostgresArrays.Of(results.Select(r => r.Error)));
            command.Parameters.Add(PostgresArrays.Of(results.Select(r => r.Attempted)));
            command.Parameters.Add(new NpgsqlParameter { Value = now });
            command.Parameters.Add(PostgresArrays.Of(results.Select(r => (string?)r.Delivery.Owner)));
            var attempted = results.Where(r => r.Attempted).ToList();
            command.Parameters.Add(PostgresArrays.Of(attempted.Select(r => Guid.CreateVersion7(r.At))));
            command.Parameters.Add(PostgresArrays.Of(attempted.Select(r => r.Delivery.Endpoint.Id)));
            command.Parameters.Add(PostgresArrays.Of(attempted.Select(r => (Guid?)r.Delivery.DeliveryId)));
            command.Parameters.Add(PostgresArrays.Of(attempted.Select(r => (string?)r.Delivery.EventType)));
            command.Parameters.Add(PostgresArrays.Of(attempted.Select(r => r.Attempt)));
            command.Parameters.Add(PostgresArrays.Of(attempted.Select(r => r.Outcome.StatusCode)));
            command.Parameters.Add(PostgresArrays.Of(attempted.Select(r => r.Outcome.ResponseTimeMs)));
            command.Parameters.Add(PostgresArrays.Of(attempted.Select(r => r.Outcome.ResponseBody)));
            command.Parameters.Add(PostgresArrays.Of(attempted.Select(r => r.Error)));
            command.Parameters.Add(PostgresArrays.Of(attempted.Select(r => r.At)));
            return command;
        }
    }
}
