using Npgsql;
using Webhooks.Application.Admin.Stats;

namespace Webhooks.Infrastructure.Observability;

/// <summary>
/// The admin stats: grouped counts over the window (each an index range scan on the time column), relay latency as
/// exact percentiles of created→published, the backlog, the dead letters waiting (all) and those of the window grouped
/// by their last error, and this process's ingest outcomes and latencies.
/// </summary>
internal sealed class PostgresStatsReader(NpgsqlDataSource dataSource, IngestTally tally, TimeProvider clock) : IStatsReader
{
    public async Task<StatsView> ReadAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);

        var inbox = await Groups(connection, "SELECT source AS a, status AS b, coalesce(topic, '') AS c, count(*) AS n FROM inbox_messages WHERE received_at >= $1 AND received_at < $2 GROUP BY 1, 2, 3", from, to, cancellationToken);
        var events = await Groups(connection, "SELECT event_type AS a, status AS b, '' AS c, count(*) AS n FROM outbox_messages WHERE created_at >= $1 AND created_at < $2 GROUP BY 1, 2", from, to, cancellationToken);

        Percentiles relayLatency;
        await using (var command = new NpgsqlCommand("""
            SELECT percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM published_at - created_at) * 1000) AS percentiles,
                   count(*) AS published
            FROM outbox_messages WHERE created_at >= $1 AND created_at < $2 AND published_at IS NOT NULL
            """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = from });
            command.Parameters.Add(new NpgsqlParameter { Value = to });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            int percentiles = reader.GetOrdinal("percentiles"), publishedCount = reader.GetOrdinal("published");
            var values = reader.IsDBNull(percentiles) ? null : reader.GetFieldValue<double[]>(percentiles);
            relayLatency = new Percentiles(values?[0], values?[1], values?[2], reader.GetInt64(publishedCount));
        }

        long backlog;
        double oldestAge;
        await using (var command = new NpgsqlCommand("SELECT count(*) AS backlog, min(created_at) AS oldest FROM outbox_messages WHERE status = 'pending'", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            int count = reader.GetOrdinal("backlog"), oldest = reader.GetOrdinal("oldest");
            backlog = reader.GetInt64(count);
            oldestAge = reader.IsDBNull(oldest) ? 0 : Math.Max(0, (clock.GetUtcNow() - reader.GetFieldValue<DateTimeOffset>(oldest)).TotalSeconds);
        }

        var reasons = new List<DeadLetterReason>();
        await using (var command = new NpgsqlCommand("""
            SELECT left(coalesce(last_error, '(no error recorded)'), 160) AS reason, count(*) AS count FROM dead_letters
            WHERE status = 'dead' AND created_at >= $1 AND created_at < $2
            GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20
            """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = from });
            command.Parameters.Add(new NpgsqlParameter { Value = to });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                reasons.Add(new DeadLetterReason(reader.GetString(reader.GetOrdinal("reason")), reader.GetInt64(reader.GetOrdinal("count"))));
            }
        }

        long deadTotal;
        await using (var command = new NpgsqlCommand("SELECT count(*) FROM dead_letters WHERE status = 'dead'", connection))
        {
            deadTotal = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        await transaction.CommitAsync(cancellationToken);

        var published = Sum(events, (_, status, _) => status == "published");
        var dead = Sum(events, (_, status, _) => status == "dead");
        var outcomes = tally.Outcomes;
        var received = outcomes.Values.Sum();
        var accepted = outcomes.GetValueOrDefault("accepted") + outcomes.GetValueOrDefault("duplicate");

        return new StatsView(
            from, to,
            new InboxStats(Sum(inbox, (_, _, _) => true), By(inbox, r => r.A), By(inbox, r => r.B), Top(By(inbox, r => r.C), 50)),
            new EventStats(Sum(events, (_, _, _) => true), By(events, r => r.A), By(events, r => r.B), published + dead == 0 ? null : (double)published / (published + dead)),
            new IngestStats(tally.Since, received, outcomes, received == 0 ? null : (double)accepted / received, Of(tally.Latest(), 1000)),
            new RelayStats(relayLatency, backlog, oldestAge),
            new DeadLetterStats(deadTotal, reasons));
    }

    private static async Task<List<(string A, string B, string C, long N)>> Groups(
        NpgsqlConnection connection, string sql, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = to });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<(string, string, string, long)>();
        int a = reader.GetOrdinal("a"), b = reader.GetOrdinal("b"), c = reader.GetOrdinal("c"), n = reader.GetOrdinal("n");
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetString(a), reader.GetString(b), reader.GetString(c), reader.GetInt64(n)));
        }

        return rows;
    }

    private static long Sum(List<(string A, string B, string C, long N)> rows, Func<string, string, string, bool> where) =>
        rows.Where(r => where(r.A, r.B, r.C)).Sum(r => r.N);

    private static SortedDictionary<string, long> By(List<(string A, string B, string C, long N)> rows, Func<(string A, string B, string C, long N), string> key) =>
        new(rows.GroupBy(key).ToDictionary(g => g.Key, g => g.Sum(r => r.N)), StringComparer.Ordinal);

    private static Dictionary<string, long> Top(SortedDictionary<string, long> counts, int n) =>
        counts.OrderByDescending(p => p.Value).Take(n).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    /// <summary>Nearest-rank percentiles of sorted samples, scaled (seconds to milliseconds).</summary>
    private static Percentiles Of(double[] sorted, double scale)
    {
        if (sorted.Length == 0)
        {
            return new Percentiles(null, null, null, 0);
        }

        double At(double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)] * scale;
        return new Percentiles(At(0.5), At(0.95), At(0.99), sorted.Length);
    }
}
