using System.ComponentModel.DataAnnotations;

namespace Webhooks.Infrastructure.Jobs;

/// <summary>Webhooks:Jobs — the Hangfire server each instance runs (storage: schema "hangfire" in the same database).</summary>
internal sealed class JobsOptions
{
    [Range(1, 64)]
    public int Workers { get; set; } = 4;

    /// <summary>How often idle workers look for enqueued jobs (Hangfire.PostgreSql's default is 15 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a fetched job stays invisible to other servers without a heartbeat. It slides while the job runs, so
    /// only a server that died (killed, crashed) lets its jobs be picked up again — after this long.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>When the outbox sweep (expired relay claims) runs: every minute.</summary>
    public string OutboxSweepCron { get; set; } = "* * * * *";

    /// <summary>When retention runs: hourly, at minute 17.</summary>
    public string RetentionCron { get; set; } = "17 * * * *";
}
