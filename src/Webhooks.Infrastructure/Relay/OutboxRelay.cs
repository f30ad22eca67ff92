using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Infrastructure.Messaging;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.Infrastructure.Relay;

/// <summary>
/// Publishes due outbox rows to RabbitMQ. Woken by commits (no polling delay on the hot path), it claims a batch
/// with SKIP LOCKED, publishes it with up to MaxInFlight confirms outstanding, marks what the broker confirmed,
/// schedules a backoff for what it refused (dead-lettering spent events), and — when the broker is unreachable —
/// gives the claims back untouched and waits for the broker, so an outage fills the backlog, not the dead letters.
/// See docs/adr/0004-outbox-relay.md.
/// </summary>
internal sealed partial class OutboxRelay(
    OutboxStore store,
    IEventPublisher publisher,
    OutboxSignal signal,
    EventsTopology topology,
    BrokerProbe broker,
    MigrationState migrations,
    RelayState state,
    IRelayObserver observer,
    TimeProvider clock,
    IOptions<RelayOptions> options,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBrokerBackoff = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MinCycle = TimeSpan.FromMilliseconds(2);
    private readonly RelayOptions settings = options.Value;
    private readonly string owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        if (!settings.Enabled)
        {
            return;
        }

        while (!migrations.Applied)
        {
            await Task.Delay(200, stoppingToken);
        }

        // Several lanes, each claim → publish → mark: while one publishes, another claims or marks, so neither the
        // database round trips nor the broker's confirms leave the other idle (ADR 0008). A commit wakes one idle
        // lane, so under steady traffic the next lane claims new rows while the last one awaits its confirms.
        await Task.WhenAll(Enumerable.Range(0, settings.Workers).Select(_ => RunLaneAsync(new Lane(), stoppingToken)));
    }

    private async Task RunLaneAsync(Lane lane, CancellationToken stoppingToken)
    {
        await Task.Yield();
        var brokerBackoff = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!topology.Declared && !await TryDeclareTopologyAsync(brokerBackoff, stoppingToken))
                {
                    brokerBackoff = TimeSpan.FromTicks(Math.Min(brokerBackoff.Ticks * 2, MaxBrokerBackoff.Ticks));
                    continue;
                }

                if (state.Paused)
                {
                    await signal.WaitAsync(TimeSpan.FromMilliseconds(200), stoppingToken);
                    continue;
                }

                await PaceAsync(lane, stoppingToken);
                var batch = await store.ClaimAsync(owner, settings.BatchSize, settings.MaxBatchBytes, clock.GetUtcNow(), settings.ClaimLease, stoppingToken);
                if (batch.Count > 0)
                {
                    var full = batch.Count == settings.BatchSize || batch.Sum(e => (long)e.Envelope.Length) >= settings.MaxBatchBytes / 2;
                    if (full)
                    {
                        signal.Notify(); // more is probably due: another lane claims the next batch while this one publishes
                    }

                    if (!await PublishAsync(lane, batch, stoppingToken))
                    {
                        await WaitForBrokerAsync(brokerBackoff, stoppingToken);
                        brokerBackoff = TimeSpan.FromTicks(Math.Min(brokerBackoff.Ticks * 2, MaxBrokerBackoff.Ticks));
                        continue;
                    }

                    brokerBackoff = TimeSpan.FromMilliseconds(250);
                    if (full)
                    {
                        continue; // more is probably due: claim again at once
                    }
                }

                // Everything due was taken: sleep until a commit signals, a retry this lane scheduled falls due,
                // or the idle poll passes (it also covers retries scheduled by other lanes and instances).
                await WaitForWorkAsync(lane, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // Most likely the database is unreachable: nothing is lost (claims expire), try again shortly.
                LogRelayError(logger, ex.GetType().Name, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    /// <summary>Publishes a claimed batch; false when the broker turned out to be unreachable.</summary>
    private async Task<bool> PublishAsync(Lane lane, List<ClaimedEvent> batch, CancellationToken stoppingToken)
    {
        var started = Stopwatch.GetTimestamp();
        observer.BatchClaimed(batch.Count);
        var published = new ConcurrentQueue<Guid>();
        var refused = new ConcurrentQueue<(ClaimedEvent Event, string Error)>();
        var failed = new ConcurrentQueue<(ClaimedEvent Event, Exception Error)>();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(settings.PublishTimeout);
        using (var inFlight = new SemaphoreSlim(settings.MaxInFlight))
        {
            await Task.WhenAll(batch.Select(async message =>
            {
                await inFlight.WaitAsync(stoppingToken);
                Activity? span = null;
                try
                {
                    // Inside the try: nothing about one event (its tracing included) may stop the batch being marked.
                    span = observer.StartPublish(message, settings.Exchange);
                    await publisher.PublishAsync(message, timeout.Token);
                    published.Enqueue(message.Id);
                    observer.Published(message.EventType);
                }
                catch (EventRefusedException ex)
                {
                    observer.PublishFailed(ex.Reason);
                    span?.SetStatus(ActivityStatusCode.Error, ex.Reason);
                    refused.Enqueue((message, ex.Message));
                }
                catch (Exception ex)
                {
                    observer.PublishFailed(BrokerProbe.IsConnectivityFailure(ex) ? "unreachable" : "error");
                    span?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
                    failed.Enqueue((message, ex));
                }
                finally
                {
                    span?.Dispose();
                    inFlight.Release();
                }
            }));
        }

        observer.BatchPublished(Stopwatch.GetElapsedTime(started));
        var now = clock.GetUtcNow();
        if (!published.IsEmpty)
        {
            await store.MarkPublishedAsync(published, now, CancellationToken.None);
            state.CountPublished(published.Count, now);
        }

        // Only a broker that cannot be reached at all is an outage: then the claims go back without spending attempts.
        // A refusal proves the broker is there; any other failure (a publish that timed out, a channel closed under
        // it) spends an attempt when the probe finds the broker reachable, so an event the broker will never take —
        // too large, or bound to a queue that rejects it — ends in the dead letters instead of blocking the backlog.
        var brokerReachable = failed.IsEmpty || (await broker.CheckAsync(stoppingToken)).Reachable;
        state.BrokerIs(brokerReachable || !published.IsEmpty || !refused.IsEmpty);
        var unreachable = new List<Guid>();
        foreach (var (message, error) in failed)
        {
            if (brokerReachable && !stoppingToken.IsCancellationRequested)
            {
                refused.Enqueue((message, $"{error.GetType().Name}: {error.Message}"));
            }
            else
            {
                unreachable.Add(message.Id);
            }
        }

        foreach (var (message, error) in refused)
        {
            var (dead, retryAt) = await store.RecordFailureAsync(message, error, now, settings.ToPolicy(), Random.Shared.NextDouble(), CancellationToken.None);
            if (!dead && (lane.NextRetry is null || retryAt < lane.NextRetry))
            {
                lane.NextRetry = retryAt;
            }

            state.CountRefused(dead);
            if (dead)
            {
                LogDeadLettered(logger, message.Id, message.EventType, message.Attempts + 1, error);
            }
        }

        if (unreachable.Count > 0)
        {
            await store.ReleaseAsync(unreachable, CancellationToken.None);
            LogBrokerUnreachable(logger, $"{unreachable.Count} events returned to the backlog");
            return false;
        }

        return true;
    }

    private async Task<bool> TryDeclareTopologyAsync(TimeSpan backoff, CancellationToken stoppingToken)
    {
        try
        {
            await topology.DeclareAsync(stoppingToken);
            state.BrokerIs(true);
            return true;
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            state.BrokerIs(false);
            LogBrokerUnreachable(logger, ex.Message);
            await Task.Delay(backoff, stoppingToken);
            return false;
        }
    }

    private async Task WaitForWorkAsync(Lane lane, CancellationToken stoppingToken)
    {
        var wait = settings.IdlePoll;
        if (lane.NextRetry is { } due)
        {
            var untilDue = due - clock.GetUtcNow();
            wait = untilDue < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : untilDue < wait ? untilDue : wait;
        }

        if (!await signal.WaitAsync(wait, stoppingToken) && lane.NextRetry <= clock.GetUtcNow())
        {
            lane.NextRetry = null;
        }
    }

    /// <summary>
    /// Under load, commits arrive faster than a cycle: spacing cycles at least MinCycle apart lets one claim take the
    /// rows of several commits. An idle relay answers a signal at once.
    /// </summary>
    private static async Task PaceAsync(Lane lane, CancellationToken stoppingToken)
    {
        var since = Stopwatch.GetElapsedTime(lane.LastCycle);
        if (lane.LastCycle != 0 && since < MinCycle)
        {
            await Task.Delay(MinCycle - since, stoppingToken);
        }

        lane.LastCycle = Stopwatch.GetTimestamp();
    }

    private async Task WaitForBrokerAsync(TimeSpan backoff, CancellationToken stoppingToken)
    {
        await Task.Delay(backoff, stoppingToken);
        while (!(await broker.CheckAsync(stoppingToken)).Reachable)
        {
            await Task.Delay(backoff, stoppingToken);
        }
    }

    /// <summary>One claim → publish → mark loop's own state.</summary>
    private sealed class Lane
    {
        public long LastCycle { get; set; }

        public DateTimeOffset? NextRetry { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Broker unreachable, relay waiting without spending attempts: {Reason}")]
    private static partial void LogBrokerUnreachable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Relay error ({Exception}: {Reason}); retrying in 1 s")]
    private static partial void LogRelayError(ILogger logger, string exception, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} ({EventType}) dead-lettered after {Attempts} attempts: {Error}")]
    private static partial void LogDeadLettered(ILogger logger, Guid eventId, string eventType, int attempts, string error);
}
