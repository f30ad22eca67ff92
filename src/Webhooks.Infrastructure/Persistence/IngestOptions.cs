using System.ComponentModel.DataAnnotations;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>Webhooks:Ingest — how concurrent deliveries are committed together.</summary>
public sealed class IngestOptions
{
    /// <summary>Concurrent writer loops; while one commits, the next batch forms.</summary>
    [Range(1, 64)]
    public int Writers { get; set; } = 4;

    [Range(1, 5000)]
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>How long a request waits for its commit before answering 503 (the contract allows 10 s).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:00:09")]
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>
    /// Load shedding: while queued webhooks wait longer than this for a writer, new ones are answered 503 with
    /// Retry-After at once instead of joining a queue they would time out in.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:09")]
    public TimeSpan ShedAfter { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>Webhooks:Database.</summary>
public sealed class DatabaseOptions
{
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>How long start-up keeps retrying an unreachable database before it fails.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(60);

    [Range(1, 1000)]
    public int MaxPoolSize { get; set; } = 50;

    /// <summary>How often each instance checks whether sources changed (through the admin API of any instance).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan SourceRefreshInterval { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>Webhooks:Retention.</summary>
public sealed class RetentionOptions
{
    /// <summary>How long inbox rows (and so duplicate detection) and published events are kept.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan Inbox { get; set; } = TimeSpan.FromDays(30);
}
