using System.ComponentModel.DataAnnotations;
using Webhooks.Domain.Delivery;

namespace Webhooks.Application.Delivery.Sending;

/// <summary>
/// Webhooks:Delivery — how deliveries are sent and judged: in flight per instance and per endpoint, the retry schedule,
/// and when a failing subscription is disabled. (The transport's keys, the queues and the circuit breaker, are
/// Infrastructure's, in the same section.)
/// </summary>
public sealed class DeliveryRules
{
    /// <summary>A subscription failing for this long is disabled.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(5);

    /// <summary>A subscription whose last this many attempts all failed is disabled.</summary>
    [Range(1, 100_000)]
    public int DisableAfterFailures { get; set; } = 50;

    /// <summary>Delays before each retry; the last repeats. Default: Standard Webhooks' 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.</summary>
    public List<TimeSpan> RetrySchedule { get; set; } = [];

    /// <summary>Requests in flight to one subscription at once.</summary>
    [Range(1, 100)]
    public int MaxConcurrencyPerEndpoint { get; set; } = 4;

    /// <summary>Requests in flight per instance.</summary>
    [Range(1, 10_000)]
    public int MaxInFlight { get; set; } = 128;

    /// <summary>How long an idle delivery loop sleeps between claims when nothing wakes it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan IdlePoll { get; set; } = TimeSpan.FromSeconds(1);

    public AutoDisableRule AutoDisable => new(DisableAfterFailures, DisableAfter);

    /// <summary>The schedule subscriptions without their own follow.</summary>
    public IReadOnlyList<TimeSpan> Schedule => RetrySchedule.Count > 0 ? RetrySchedule : DeliveryPolicy.StandardSchedule;
}
