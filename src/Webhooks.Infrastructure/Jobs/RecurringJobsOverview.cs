using Npgsql;

namespace Webhooks.Infrastructure.Jobs;

public sealed record RecurringJobView(string Name, string Group, string? Description, string TriggerState, DateTimeOffset? NextRun, DateTimeOffset? LastRun, string? LastFailure);

/// <summary>Quartz's recurring jobs as its tables record them (shared by every instance of the cluster).</summary>
public sealed class RecurringJobsOverview
{
    private readonly NpgsqlDataSource dataSource;

    internal RecurringJobsOverview(NpgsqlDataSource dataSource) => this.dataSource = dataSource;

    public async Task<IReadOnlyList<RecurringJobView>> ListAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT t.job_name, t.job_group, j.description, t.trigger_state, t.next_fire_time, t.prev_fire_time, s.last_failure_message
            FROM qrtz_triggers t
            JOIN qrtz_job_details j ON j.sched_name = t.sched_name AND j.job_name = t.job_name AND j.job_group = t.job_group
            LEFT JOIN qrtz_job_status s ON s.sched_name = t.sched_name AND s.job_name = t.job_name AND s.job_group = t.job_group
            ORDER BY t.job_group, t.job_name
            """;
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var jobs = new List<RecurringJobView>();
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(new RecurringJobView(
                reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                Ticks(reader, 4), Ticks(reader, 5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return jobs;
    }

    private static DateTimeOffset? Ticks(NpgsqlDataReader reader, int column) =>
        reader.IsDBNull(column) || reader.GetInt64(column) <= 0 ? null : new DateTimeOffset(reader.GetInt64(column), TimeSpan.Zero);
}
