using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Hangfire;
using Webhooks.Domain.Delivery;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.Infrastructure.Jobs;

/// <summary>
/// Deletes inbox rows, published events, finished outbound events and delivery logs older than the retention
/// (default 30 days), in bounded batches so it never holds long locks. Duplicate detection lasts exactly as long as
/// the inbox row (or, outbound, the event row).
/// </summary>
[DisableConcurrentExecution(timeoutInSeconds: 300)]
internal sealed partial class RetentionJob(NpgsqlDataSource dataSource, IOptions<RetentionOptions> options, TimeProvider clock, ILogger<RetentionJob> logger)
{
    public const string Id = "retention";

    /// <summary>How much longer than the inbox a retired body hash is kept (contract v3: at least 30 days).</summary>
    public static readonly TimeSpan RetiredHashesOutlive = TimeSpan.FromDays(30);
    private const int BatchSize = 5000;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var cutoff = (clock.GetUtcNow() - options.Value.Inbox).UtcDateTime;
        var events = await DeleteInBatchesAsync(
            "DELETE FROM outbox_messages WHERE id IN (SELECT id FROM outbox_messages WHERE status = 'published' AND created_at < $1 LIMIT $2)",
            cutoff, cancellationToken);
        // An inbox row leaves its body hash behind (in the same statement), so the body stays a duplicate.
        var inbox = await DeleteInBatchesAsync("""
            WITH gone AS (
                DELETE FROM inbox_messages WHERE id IN (SELECT id FROM inbox_messages WHERE received_at < $1 LIMIT $2)
                RETURNING source, topic, body_sha256, id, received_at),
            kept AS (
                INSERT INTO retired_body_hashes (source, topic, body_sha256, inbox_id, received_at)
                SELECT source, coalesce(topic, ''), body_sha256, id, received_at FROM gone WHERE body_sha256 IS NOT NULL
                ON CONFLICT DO NOTHING)
            SELECT count(*) FROM gone
            """, cutoff, cancellationToken);
        await DeleteInBatchesAsync(
            "DELETE FROM retired_body_hashes WHERE (source, topic, body_sha256) IN (SELECT source, topic, body_sha256 FROM retired_body_hashes WHERE received_at < $1 LIMIT $2)",
            (clock.GetUtcNow() - options.Value.Inbox - RetiredHashesOutlive).UtcDateTime, cancellationToken);
        // Outbound: events whose deliveries are all finished (their deliveries and logs go with them), then the
        // remaining old log lines (test sends).
        var outbound = await DeleteInBatchesAsync($"""
            DELETE FROM outbound_events WHERE id IN (
                SELECT e.id FROM outbound_events e WHERE e.created_at < $1
                  AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.status = '{DeliveryStatus.Pending.Text()}')
                LIMIT $2)
            """, cutoff, cancellationToken);
        var attempts = await DeleteInBatchesAsync(
            "DELETE FROM delivery_attempts WHERE id IN (SELECT id FROM delivery_attempts WHERE created_at < $1 LIMIT $2)",
            cutoff, cancellationToken);
        // The per-minute ingest counts feed alerts (a 15-minute window) and the last day's charts: two days are kept.
        var counts = await DeleteInBatchesAsync(
            "DELETE FROM ingest_minutes WHERE (minute, source, outcome) IN (SELECT minute, source, outcome FROM ingest_minutes WHERE minute < $1 LIMIT $2)",
            (clock.GetUtcNow() - TimeSpan.FromDays(2)).UtcDateTime, cancellationToken);
        await DeleteInBatchesAsync(
            "DELETE FROM rejection_samples WHERE (minute, source, address) IN (SELECT minute, source, address FROM rejection_samples WHERE minute < $1 LIMIT $2)",
            (clock.GetUtcNow() - TimeSpan.FromDays(2)).UtcDateTime, cancellationToken);
        await DeleteInBatchesAsync(
            "DELETE FROM rejection_reports WHERE (minute, source) IN (SELECT minute, source FROM rejection_reports WHERE minute < $1 LIMIT $2)",
            (clock.GetUtcNow() - TimeSpan.FromDays(2)).UtcDateTime, cancellationToken);
        await DeleteInBatchesAsync(
            "DELETE FROM gateway_minutes WHERE (minute, metric) IN (SELECT minute, metric FROM gateway_minutes WHERE minute < $1 LIMIT $2)",
            (clock.GetUtcNow() - TimeSpan.FromDays(2)).UtcDateTime, cancellationToken);
        if (events + inbox + outbound + attempts + counts > 0)
        {
            LogDeleted(logger, inbox, events, outbound, attempts, cutoff);
        }
    }

    private async Task<long> DeleteInBatchesAsync(string sql, DateTime cutoff, CancellationToken cancellationToken)
    {
        long total = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            await using var command = dataSource.CreateCommand(sql);
            command.Parameters.Add(new NpgsqlParameter { Value = cutoff, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter { Value = BatchSize });
            // A plain DELETE reports its rows; a WITH … SELECT count(*) answers them as a value.
            var deleted = sql.TrimStart().StartsWith("WITH", StringComparison.Ordinal)
                ? (long)(await command.ExecuteScalarAsync(cancellationToken))!
                : await command.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            if (deleted < BatchSize)
            {
                break;
            }
        }

        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention removed {Inbox} inbox rows, {Events} published events, {Outbound} outbound events and {Attempts} delivery log lines older than {Cutoff:o}")]
    private static partial void LogDeleted(ILogger logger, long inbox, long events, long outbound, long attempts, DateTime cutoff);
}
