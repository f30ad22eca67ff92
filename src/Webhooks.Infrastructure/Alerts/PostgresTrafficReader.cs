using Npgsql;
using Webhooks.Application.Admin.Traffic;

namespace Webhooks.Infrastructure.Alerts;

/// <summary>Bins of ingest_minutes: one indexed range scan of at most a day's minutes per source and outcome.</summary>
internal sealed class PostgresTrafficReader(NpgsqlDataSource dataSource) : ITrafficReader
{
    public async Task<IReadOnlyList<(string Source, DateTimeOffset Bin, long Accepted, long Rejected)>> ReadAsync(DateTimeOffset from, int binMinutes, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT source,
                   to_timestamp(floor(extract(epoch FROM minute) / ($2 * 60)) * ($2 * 60)) AS bin,
                   coalesce(sum(count) FILTER (WHERE outcome IN ('accepted', 'duplicate')), 0)::bigint,
                   coalesce(sum(count) FILTER (WHERE outcome = ANY($3)), 0)::bigint
            FROM ingest_minutes WHERE minute >= $1
            GROUP BY 1, 2 ORDER BY 1, 2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = binMinutes });
        command.Parameters.Add(new NpgsqlParameter { Value = IngestMinutes.RejectedOutcomes });
        var rows = new List<(string, DateTimeOffset, long, long)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetString(0), new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero), reader.GetInt64(2), reader.GetInt64(3)));
        }

        return rows;
    }
}
