using System.ComponentModel.DataAnnotations;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>Webhooks:Database.</summary>
internal sealed class DatabaseOptions
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
internal sealed class RetentionOptions
{
    /// <summary>How long inbox rows (and so duplicate detection) and published events are kept.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan Inbox { get; set; } = TimeSpan.FromDays(30);
}
