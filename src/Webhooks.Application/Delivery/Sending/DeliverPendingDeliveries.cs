using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Domain.Delivery;

namespace Webhooks.Application.Delivery.Sending;

/// <summary>
/// The delivery use case: claim due deliveries, send each, decide its fate with the Domain's rules, record the results
/// in batches (<see cref="DeliveryResultRecorder"/>, which also disables and announces). At most
/// <see cref="DeliveryRules.MaxConcurrencyPerEndpoint"/> requests per subscription and <see cref="DeliveryRules.MaxInFlight"/>
/// in all, each on its own task: a slow or dead endpoint holds only its own slots, never the others'.
/// </summary>
public sealed partial class DeliverPendingDeliveries(
    IDeliveryClaims claims,
    DeliveryResultRecorder recorder,
    IEndpointSender sender,
    IDeliveryWakeUps wakeUps,
    IDeliveryObserver observer,
    IOptions<DeliveryRules> options,
    TimeProvider clock,
    ILogger<DeliverPendingDeliveries> logger)
{
    private readonly string owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly ConcurrentDictionary<Guid, int> perEndpoint = new();
    private int inFlight;

    /// <summary>Delivers until <paramref name="stoppingToken"/> is cancelled, then waits for the requests in flight to be recorded.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var recording = recorder.RunAsync();
        var rules = options.Value;
        var running = new ConcurrentDictionary<Task, byte>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var capacity = rules.MaxInFlight - Volatile.Read(ref inFlight);
                var busy = perEndpoint.Where(p => p.Value >= rules.MaxConcurrencyPerEndpoint).Select(p => p.Key).ToArray();
                var claimed = capacity <= 0 ? [] : await claims.ClaimAsync(owner, capacity, rules.MaxConcurrencyPerEndpoint, busy, clock.GetUtcNow(), stoppingToken);
                if (claimed.Count == 0)
                {
                    await wakeUps.WaitAsync(rules.IdlePoll, stoppingToken);
                    continue;
                }

                foreach (var work in claimed)
                {
                    Interlocked.Increment(ref inFlight);
                    perEndpoint.AddOrUpdate(work.Endpoint.Id, 1, (_, n) => n + 1);
                    var task = Task.Run(() => DeliverAsync(work, stoppingToken), CancellationToken.None);
                    running[task] = 0;
                    _ = task.ContinueWith(t =>
                    {
                        running.TryRemove(t, out _);
                        perEndpoint.AddOrUpdate(work.Endpoint.Id, 0, (_, n) => n - 1);
                        Interlocked.Decrement(ref inFlight);
                        wakeUps.Notify();
                    }, TaskScheduler.Default);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever failed (the database, a row it could not read), the loop goes on: no failure here may stop the process.
                LogLoopFailed(logger, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        await Task.WhenAll(running.Keys).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        recorder.Complete();
        await recording;
    }

    /// <summary>Sends one attempt and waits until its result is recorded, holding the endpoint's slot meanwhile.</summary>
    private async Task DeliverAsync(ClaimedDelivery work, CancellationToken stoppingToken)
    {
        try
        {
            var attempt = work.Attempts + 1;
            var messageId = EventDelivery.MessageIdOf(work.DeliveryId);
            var body = DeliveryEnvelope.Write(messageId, work.EventType, work.OccurredAt, work.Endpoint.Id, attempt, work.Data);
            var outcome = await sender.SendAsync(work.Endpoint, messageId, work.EventType, body, bypassBreaker: false, stoppingToken);
            if (!outcome.CircuitOpen)
            {
                observer.Attempted(outcome.StatusCode is { } status && DeliveryPolicy.Classify(status) == AttemptVerdict.Succeeded);
            }

            await recorder.RecordAsync(Decide(work, attempt, outcome, clock.GetUtcNow()));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the claim lapses and another worker (or the next start) sends it.
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogRecordFailed(logger, work.DeliveryId, ex.Message);
        }
    }

    /// <summary>What an outcome means for the delivery: its new state, the next attempt, the error logged.</summary>
    private FinishedAttempt Decide(ClaimedDelivery work, int attempt, AttemptOutcome outcome, DateTimeOffset now)
    {
        if (outcome.CircuitOpen)
        {
            // Not an attempt: the endpoint's circuit is open. Try again when it half-opens.
            return new FinishedAttempt(work, false, attempt, outcome, AttemptVerdict.Retry, DeliveryStatus.Pending,
                now + (outcome.RetryAfter ?? TimeSpan.FromSeconds(5)), null, now);
        }

        var verdict = outcome.Error is not null && outcome.StatusCode is null ? AttemptVerdict.Retry : DeliveryPolicy.Classify(outcome.StatusCode, work.Retries.RetryOn);
        var next = verdict == AttemptVerdict.Retry
            ? DeliveryPolicy.For(work.Retries.Schedule, options.Value.Schedule).NextAttempt(attempt, work.Retries.Retries, now, outcome.RetryAfter, Random.Shared.NextDouble())
            : null;
        var error = outcome.Error ?? (verdict == AttemptVerdict.Succeeded ? null : $"HTTP {outcome.StatusCode}");
        return new FinishedAttempt(work, true, attempt, outcome, verdict, DeliveryStatuses.After(verdict, next is not null), next, error, now);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery loop failed ({Reason}); retrying")]
    private static partial void LogLoopFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record delivery {DeliveryId} ({Reason}); its claim will lapse and it will be sent again")]
    private static partial void LogRecordFailed(ILogger logger, Guid deliveryId, string reason);
}
