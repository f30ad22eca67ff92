using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Webhooks.Application.Admin.Alerts;
using Webhooks.Contracts;
using Webhooks.Domain.Alerts;
using Webhooks.Domain.Outbox;
using Webhooks.Infrastructure.Observability;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.Infrastructure.Alerts;

/// <summary>
/// Alerts in PostgreSQL (EF Core) and the figures they are judged by (hand-written SQL over the per-minute tables);
/// the judging is the Application's (<see cref="AlertEvaluator"/>). An evaluation's transaction first takes an advisory
/// lock, so with several instances one evaluation runs at a time.
/// </summary>
internal sealed class PostgresAlertStore(WebhooksDbContext db) : IAlertStore
{
    private const long EvaluationLock = 0x5745_4248_414c_5254; // "WEBHALRT"

    public async Task<IReadOnlyList<Alert>> ListAsync(AlertStatus? status, string? kind, string? subject, Guid? before, int limit, CancellationToken cancellationToken)
    {
        var rows = db.Alerts.AsNoTracking();
        if (status is { } wanted)
        {
            rows = rows.Where(a => a.Status == wanted);
        }

        if (kind is not null)
        {
            rows = rows.Where(a => a.Kind == kind);
        }

        if (subject is not null)
        {
            rows = rows.Where(a => a.Subject == subject);
        }

        if (before is { } cursor)
        {
            rows = rows.Where(a => a.Id.CompareTo(cursor) < 0);
        }

        return await rows.OrderByDescending(a => a.Id).Take(limit).ToListAsync(cancellationToken);
    }

    public Task<T> InTransactionAsync<T>(bool evaluation, Func<IAlertTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var scope = new Transaction(db, (NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction());
            if (evaluation)
            {
                await Sql.ScalarAsync<object>(scope.Connection, scope.Npgsql, $"SELECT pg_advisory_xact_lock({EvaluationLock})", cancellationToken);
            }

            var value = await work(scope);
            await transaction.CommitAsync(cancellationToken);
            return value;
        });

    private sealed class Transaction(WebhooksDbContext db, NpgsqlConnection connection, NpgsqlTransaction transaction) : IAlertTransaction
    {
        public NpgsqlConnection Connection => connection;

        public NpgsqlTransaction Npgsql => transaction;

        public async Task<AlertMeasurements> MeasureAsync(DateTimeOffset now, TimeSpan window, int stalledMinutes, IReadOnlyDictionary<string, TimeSpan> expectedEvery, CancellationToken cancellationToken)
        {
            var since = now - window;
            var rejections = new List<SourceRejections>();
            await using (var command = new NpgsqlCommand("""
                SELECT source AS source, coalesce(sum(count) FILTER (WHERE outcome = ANY($2)), 0)::bigint AS rejected, sum(count)::bigint AS total
                FROM ingest_minutes WHERE minute >= date_trunc('minute', $1::timestamptz) AND source <> 'unknown'
                GROUP BY source
                """, connection, transaction))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = since });
                command.Parameters.Add(new NpgsqlParameter { Value = IngestMinutes.RejectedOutcomes });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                int source = reader.GetOrdinal("source"), rejected = reader.GetOrdinal("rejected"), total = reader.GetOrdinal("total");
                while (await reader.ReadAsync(cancellationToken))
                {
                    rejections.Add(new SourceRejections(reader.GetString(source), reader.GetInt64(rejected), reader.GetInt64(total)));
                }
            }

            var oldest = await Sql.ScalarAsync<DateTime?>(connection, transaction, "SELECT min(created_at) FROM outbox_messages WHERE status = 'pending'", cancellationToken);
            var slowest = await Sql.ScalarAsync<double?>(connection, transaction,
                "SELECT max(value) FROM gateway_minutes WHERE metric = $1 AND minute >= date_trunc('minute', $2::timestamptz)",
                cancellationToken, GatewayMinutes.PublishSecondsMax, since);

            var subscriptions = new List<SubscriptionHealth>();
            await using (var command = new NpgsqlCommand($"""
                SELECT id AS id, consecutive_failures AS failures,
                       (NOT is_active AND disabled_at IS NOT NULL AND disabled_reason IS DISTINCT FROM '{Domain.Delivery.Subscription.DisabledByOperator}') AS disabled_by_gateway
                FROM subscriptions WHERE consecutive_failures > 0 OR (NOT is_active AND disabled_at IS NOT NULL)
                """, connection, transaction))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                int id = reader.GetOrdinal("id"), failures = reader.GetOrdinal("failures"), byGateway = reader.GetOrdinal("disabled_by_gateway");
                while (await reader.ReadAsync(cancellationToken))
                {
                    subscriptions.Add(new SubscriptionHealth(reader.GetGuid(id), reader.GetInt32(failures), reader.GetBoolean(byGateway)));
                }
            }

            var backfills = new List<SourceBackfillFailures>();
            await using (var command = new NpgsqlCommand(
                "SELECT source AS source, failed_runs_in_a_row AS failed FROM backfill_state WHERE failed_runs_in_a_row > 0", connection, transaction))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                int source = reader.GetOrdinal("source"), failed = reader.GetOrdinal("failed");
                while (await reader.ReadAsync(cancellationToken))
                {
                    backfills.Add(new SourceBackfillFailures(reader.GetString(source), reader.GetInt32(failed)));
                }
            }

            return new AlertMeasurements(
                rejections,
                oldest is { } at ? Math.Max(0, (now - new DateTimeOffset(at, TimeSpan.Zero)).TotalSeconds) : 0,
                slowest ?? 0,
                await MinutesStalledAsync(GatewayMinutes.RelayPaused, now, stalledMinutes, cancellationToken),
                await MinutesStalledAsync(GatewayMinutes.BrokerUnreachable, now, stalledMinutes, cancellationToken),
                await Sql.ScalarAsync<long>(connection, transaction, "SELECT count(*) FROM dead_letters WHERE created_at >= $1", cancellationToken, since),
                subscriptions,
                await SilencesAsync(now, expectedEvery, cancellationToken),
                backfills);
        }

        public async Task<IReadOnlyList<Alert>> ActiveAsync(CancellationToken cancellationToken) =>
            await db.Alerts.FromSql($"SELECT * FROM alerts WHERE status <> 'resolved' FOR UPDATE").ToListAsync(cancellationToken);

        public Task<Alert?> FindAsync(Guid id, CancellationToken cancellationToken) =>
            db.Alerts.FromSql($"SELECT * FROM alerts WHERE id = {id} FOR UPDATE").FirstOrDefaultAsync(cancellationToken);

        public void Add(Alert alert) => db.Alerts.Add(alert);

        public async Task<IReadOnlyList<RejectionSummary>> ReportRejectionsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
        {
            var counts = new Dictionary<(DateTime Minute, string Source), Dictionary<string, long>>();
            await using (var command = new NpgsqlCommand("""
                SELECT m.minute AS minute, m.source AS source, m.outcome AS outcome, m.count AS count FROM ingest_minutes m
                WHERE m.minute >= date_trunc('minute', $1::timestamptz) AND m.minute < date_trunc('minute', $2::timestamptz)
                  AND m.outcome = ANY($3) AND m.count > 0
                  AND NOT EXISTS (SELECT 1 FROM rejection_reports r WHERE r.minute = m.minute AND r.source = m.source)
                ORDER BY m.minute, m.source
                """, connection, transaction))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = from });
                command.Parameters.Add(new NpgsqlParameter { Value = to });
                command.Parameters.Add(new NpgsqlParameter { Value = IngestMinutes.RejectedOutcomes });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                int minuteColumn = reader.GetOrdinal("minute"), sourceColumn = reader.GetOrdinal("source"), outcome = reader.GetOrdinal("outcome"), count = reader.GetOrdinal("count");
                while (await reader.ReadAsync(cancellationToken))
                {
                    var key = (reader.GetDateTime(minuteColumn), reader.GetString(sourceColumn));
                    var byReason = counts.TryGetValue(key, out var found) ? found : counts[key] = new Dictionary<string, long>(StringComparer.Ordinal);
                    byReason[reader.GetString(outcome)] = reader.GetInt64(count);
                }
            }

            var summaries = new List<RejectionSummary>();
            foreach (var ((minute, source), byReason) in counts)
            {
                var addresses = new List<string>();
                await using (var command = new NpgsqlCommand(
                    "SELECT address FROM rejection_samples WHERE minute = $1 AND source = $2 ORDER BY address LIMIT 5", connection, transaction))
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = minute });
                    command.Parameters.Add(new NpgsqlParameter { Value = source });
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        addresses.Add(reader.GetString(reader.GetOrdinal("address")));
                    }
                }

                await Sql.ExecuteAsync(connection, transaction, "INSERT INTO rejection_reports (minute, source) VALUES ($1, $2)", cancellationToken, minute, source);
                summaries.Add(new RejectionSummary
                {
                    Source = source,
                    Minute = new DateTimeOffset(minute, TimeSpan.Zero),
                    Rejected = byReason.Values.Sum(),
                    ByReason = byReason,
                    SampleAddresses = addresses,
                });
            }

            return summaries;
        }

        public async Task SaveAsync(IReadOnlyList<OutboxMessage> events, CancellationToken cancellationToken)
        {
            await db.SaveChangesAsync(cancellationToken);
            await OutboxWriter.WriteAsync(connection, transaction, events, cancellationToken);
        }

        /// <summary>
        /// Of the last <paramref name="stalledMinutes"/> finished minutes, how many in a row (back from the latest) the
        /// metric was at least 1 in for some instance: a minute with no figure at all (no instance up) breaks the run.
        /// </summary>
        private Task<int> MinutesStalledAsync(string metric, DateTimeOffset now, int stalledMinutes, CancellationToken cancellationToken) =>
            Sql.ScalarAsync<int>(connection, transaction, """
                SELECT coalesce(min(n) - 1, $3)::int FROM generate_series(1, $3) n
                WHERE NOT EXISTS (SELECT 1 FROM gateway_minutes m WHERE m.metric = $1 AND m.value >= 1
                                  AND m.minute = date_trunc('minute', $2::timestamptz) - n * interval '1 minute')
                """, cancellationToken, metric, now, stalledMinutes);

        /// <summary>
        /// Each source with an ExpectedEvery: how long since it last accepted a delivery — the latest of its inbox rows
        /// and of the per-minute counts (kept two days, so a short inbox retention does not make a source look silent)
        /// — or since it was created.
        /// </summary>
        private async Task<IReadOnlyList<SourceSilence>> SilencesAsync(DateTimeOffset now, IReadOnlyDictionary<string, TimeSpan> expected, CancellationToken cancellationToken)
        {
            var silences = new List<SourceSilence>();
            if (expected.Count == 0)
            {
                return silences;
            }

            await using var command = new NpgsqlCommand("""
                SELECT s.name AS name,
                       greatest(s.created_at,
                                (SELECT max(i.received_at) FROM inbox_messages i WHERE i.source = s.name),
                                (SELECT max(m.minute) FROM ingest_minutes m WHERE m.source = s.name AND m.outcome IN ('accepted', 'duplicate'))) AS last_seen
                FROM sources s WHERE s.name = ANY($1)
                """, connection, transaction);
            command.Parameters.Add(new NpgsqlParameter { Value = expected.Keys.ToArray() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            int name = reader.GetOrdinal("name"), lastSeen = reader.GetOrdinal("last_seen");
            while (await reader.ReadAsync(cancellationToken))
            {
                var source = reader.GetString(name);
                silences.Add(new SourceSilence(source, now - new DateTimeOffset(reader.GetDateTime(lastSeen), TimeSpan.Zero), expected[source]));
            }

            return silences;
        }
    }
}

/// <summary>The evaluator, as a Hangfire recurring job: once a minute, once across instances.</summary>
internal sealed class AlertEvaluationJob(AlertEvaluator alerts)
{
    public const string Id = "alerts";

    [Hangfire.DisableConcurrentExecution(timeoutInSeconds: 120)]
    public Task RunAsync(CancellationToken cancellationToken) => alerts.EvaluateAsync(cancellationToken);
}
