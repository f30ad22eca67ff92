using System.ComponentModel.DataAnnotations;

namespace Webhooks.Application.Backfill;

/// <summary>
/// Webhooks:Backfill — when the sources' backfills run and how far back and how long each looks (contract v3,
/// "Providers that never retry"): every 5 min by default, down to 5 s; the first run looks back 3 days, later ones to
/// the last complete run less an hour of overlap.
/// </summary>
public sealed class BackfillOptions
{
    /// <summary>How often every source's backfill runs (once across instances), and at once when the database is back.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00", ErrorMessage = "Webhooks:Backfill:Every must be between 00:00:05 and 1.00:00:00.")]
    public TimeSpan Every { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far before the last complete run a run starts looking again (a delivery may be recorded late).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00", ErrorMessage = "Webhooks:Backfill:Overlap must be between 00:00:00 and 7.00:00:00.")]
    public TimeSpan Overlap { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How far back the first run looks (and any run, at most): GitHub keeps 3 days of deliveries, Stripe 30 of events.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00", ErrorMessage = "Webhooks:Backfill:Lookback must be between 00:01:00 and 30.00:00:00.")]
    public TimeSpan Lookback { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Pages of deliveries or events one run of a source reads at most (100 a page); the rest waits for the next run.</summary>
    [Range(1, 1000, ErrorMessage = "Webhooks:Backfill:MaxPages must be between 1 and 1000.")]
    public int MaxPages { get; set; } = 10;

    /// <summary>How long one run of a source may take; what it did not reach waits for the next run.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00", ErrorMessage = "Webhooks:Backfill:MaxRunTime must be between 00:00:05 and 01:00:00.")]
    public TimeSpan MaxRunTime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long one request to a provider's API may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "Webhooks:Backfill:RequestTimeout must be between 00:00:01 and 00:05:00.")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Run the scheduler in this instance (runs are still taken once across the instances that do).</summary>
    public bool Enabled { get; set; } = true;
}
