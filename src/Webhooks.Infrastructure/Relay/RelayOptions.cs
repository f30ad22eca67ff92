using System.ComponentModel.DataAnnotations;
using Webhooks.Domain.Outbox;

namespace Webhooks.Infrastructure.Relay;

/// <summary>Webhooks:Relay — docs/contract.md names MaxAttempts, InitialDelay and MaxDelay; the rest are tuning.</summary>
internal sealed class RelayOptions
{
    public bool Enabled { get; set; } = true;

    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 15;

    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.001", "7.00:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Rows claimed per round trip.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// Envelope bytes claimed per round trip at the most (always at least one row): what a lane holds in memory while
    /// it publishes, whatever the size of the events.
    /// </summary>
    [Range(65_536, 1_073_741_824)]
    public long MaxBatchBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Publishes awaiting their confirm at once, per worker (ADR 0008).</summary>
    [Range(1, 10_000)]
    public int MaxInFlight { get; set; } = 256;

    /// <summary>Claim → publish → mark loops run side by side, so one claims or marks while another awaits confirms.</summary>
    [Range(1, 64)]
    public int Workers { get; set; } = 3;

    /// <summary>How long a claim is exclusive; a crashed instance's claims are free again after it.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A publish not confirmed within this time failed: it spends an attempt when the broker is otherwise reachable,
    /// and is given back without spending one when it is not.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest the relay sleeps without a signal (a backstop; commits wake it at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan IdlePoll { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>When true, unroutable events are returned by the broker and retried like nacks.</summary>
    public bool Mandatory { get; set; }

    public string Exchange { get; set; } = Messaging.EventsExchangeOptions.DefaultExchange;

    public RetryPolicy ToPolicy() => new(MaxAttempts, InitialDelay, MaxDelay);
}
