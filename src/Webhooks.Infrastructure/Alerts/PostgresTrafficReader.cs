using Npgsql;
using Webhooks.Application.Admin.Traffic;
using Webhooks.Infrastructure.Observability;

namespace Webhooks.Infrastructure.Alerts;

/// <summary>Bins of ingest_minutes and gateway_minutes: one indexed range scan of at most a day's minutes each.</summary>
internal sealed class PostgresTrafficReader(NpgsqlDataSource dataSource) : ITrafficReader
{
    public async Task<IReadOnlyList<(string Source, DateTimeOffset Bin, long Accepted, long Rejected)>> ReadAsync(DateTimeOffset from, int binMinutes, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT source AS source,
                   to_timestamp(floor(extract(epoch FROM minute) / ($2 * 60)) * ($2 * 60)) AS bin,
                   coalesce(sum(count) FILTER (WHERE outcome IN ('accepted', 'duplicate')), 0)::bigint AS accepted,
                   coalesce(sum(count) FILTER (WHERE outcome = ANY($3)), 0)::bigint AS rejected
            FROM ingest_minutes WHERE minute >= $1
            GROUP BY 1, 2 ORDER BY 1, 2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = binMinutes });
        command.Parameters.Add(new NpgsqlParameter { Value = IngestMinutes.RejectedOutcomes });
        var rows = new List<(string, DateTimeOffset, long, long)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        int source = reader.GetOrdinal("source"), bin = reader.GetOrdinal("bin"), accepted = reader.GetOrdinal("accepted"), rejected = reader.GetOrdinal("rejected");
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetString(source), new DateTimeOffset(reader.GetDateTime(bin), TimeSpan.Zero), reader.GetInt64(accepted), reader.GetInt64(rejected)));
        }

        return rows;
    }

    public async Task<IReadOnlyList<GatewayBin>> ReadGatewayAsync(DateTimeOffset from, int binMinutes, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT to_timestamp(floor(extract(epoch FROM minute) / ($2 * 60)) * ($2 * 60)) AS bin,
                   coalesce(max(value) FILTER (WHERE metric = 'backlog'), 0) AS backlog,
                   coalesce(sum(value) FILTER (WHERE metric = 'publish_seconds_sum'), 0) AS publish_sum,
                   coalesce(sum(value) FILTER (WHERE metric = 'publish_batches'), 0)::bigint AS publish_batches,
                   coalesce(max(value) FILTER (WHERE metric = 'publish_seconds_max'), 0) AS publish_max,
                   coalesce(sum(value) FILTER (WHERE metric = 'published'), 0)::bigint AS published,
                   coalesce(sum(value) FILTER (WHERE metric = 'deliveries_succeeded'), 0)::bigint AS succeeded,
                   coalesce(sum(value) FILTER (WHERE metric = 'deliveries_failed'), 0)::bigint AS failed
            FROM gateway_minutes WHERE minute >= $1
            GROUP BY 1 ORDER BY 1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = binMinutes });
        var bins = new List<GatewayBin>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        int bin = reader.GetOrdinal("bin"), backlog = reader.GetOrdinal("backlog"), sum = reader.GetOrdinal("publish_sum"), batches = reader.GetOrdinal("publish_batches"),
            slowest = reader.GetOrdinal("publish_max"), published = reader.GetOrdinal("published"), succeeded = reader.GetOrdinal("succeeded"), failed = reader.GetOrdinal("failed");
        while (await reader.ReadAsync(cancellationToken))
        {
            bins.Add(new GatewayBin(new DateTimeOffset(reader.GetDateTime(bin), TimeSpan.Zero), reader.GetDouble(backlog), reader.GetDouble(sum), reader.GetInt64(batches),
                reader.GetDouble(slowest), reader.GetInt64(published), reader.GetInt64(succeeded), reader.GetInt64(failed)));
        }

        return bins;
    }
}
