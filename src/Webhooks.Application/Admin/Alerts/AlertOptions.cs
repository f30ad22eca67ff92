using System.ComponentModel.DataAnnotations;
using Webhooks.Domain.Alerts;

namespace Webhooks.Application.Admin.Alerts;

/// <summary>Webhooks:Alerts — the evaluator's window, hysteresis and thresholds (defaults: 15 min, 5 min, 10 %/30 %).</summary>
public sealed class AlertOptions
{
    /// <summary>How far back each evaluation looks (rejection rate, new dead letters).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a condition must stay clear before its alert resolves by itself.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan ClearFor { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>When the evaluator runs (Hangfire cron; every minute).</summary>
    [Required]
    public string Cron { get; set; } = "* * * * *";

    [Range(0.0, 1.0)]
    public double RejectionWarning { get; set; } = 0.10;

    [Range(0.0, 1.0)]
    public double RejectionCritical { get; set; } = 0.30;

    /// <summary>Fewer deliveries than this in the window are too few to judge a rate by.</summary>
    [Range(1, 1_000_000)]
    public int MinimumSample { get; set; } = 20;

    [Range(1, 86_400)]
    public double OutboxDelaySeconds { get; set; } = 30;

    [Range(0, 1_000_000)]
    public int DeadLetters { get; set; } = 10;

    [Range(1, 1_000_000)]
    public int ConsecutiveFailures { get; set; } = 10;

    /// <summary>The slowest relay batch (publish until the broker confirmed) that raises no alert; below the relay's PublishTimeout.</summary>
    [Range(0.1, 3_600)]
    public double PublishLatencySeconds { get; set; } = 5;

    /// <summary>Minutes in a row a relay may stay paused, or without its broker, before an alert opens.</summary>
    [Range(1, 1_440)]
    public int StalledMinutes { get; set; } = 5;

    /// <summary>Backfill runs of a source that may fail in a row before an alert opens.</summary>
    [Range(1, 1_000)]
    public int BackfillFailures { get; set; } = 3;

    /// <summary>The link alerts carry (absolute in production: your public base URL and this path).</summary>
    [Required]
    public string DashboardUrl { get; set; } = "/hangfire/alerts";

    public AlertThresholds Thresholds => new(RejectionWarning, RejectionCritical, MinimumSample, OutboxDelaySeconds, DeadLetters, ConsecutiveFailures, StalledMinutes, PublishLatencySeconds, BackfillFailures);
}
