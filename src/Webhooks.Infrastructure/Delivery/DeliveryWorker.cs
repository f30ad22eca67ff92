using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Application.Delivery;
using Webhooks.Contracts;
using Webhooks.Domain.Delivery;

namespace Webhooks.Infrastructure.Delivery;

/// <summary>
/// Delivers pending deliveries: claims due ones (<see cref="DeliveryClaims"/>), at most
/// <see cref="DeliveryOptions.MaxConcurrencyPerEndpoint"/> per subscription and <see cref="DeliveryOptions.MaxInFlight"/>
/// in all, each request on its own task — a slow or dead endpoint holds only its own slots, never the others'. Each
/// attempt decides the delivery's fate (succeeded, retried on the schedule with Retry-After honoured, or dead after the
/// last attempt) and goes to the <see cref="DeliveryRecorder"/>, which writes results in batches and disables a
/// subscription that answered 410 or failed too long, with evt.gateway.subscription.disabled written to the outbox.
/// </summary>
internal sealed partial class DeliveryWorker(
    DeliveryClaims claims,
    DeliveryRecorder recorder,
    DeliverySender sender,
    DeliverySignal signal,
    Observability.WebhooksMetrics metrics,
    IOptions<DeliveryOptions> options,
    TimeProvider clock,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    public const string DisabledEventType = RoutingKeys.GatewaySubscriptionDisabled;
    private readonly string owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly ConcurrentDictionary<Guid, int> perEndpoint = new();
    private readonly IReadOnlyList<TimeSpan> schedule = options.Value.RetrySchedule.Count > 0 ? options.Value.RetrySchedule : DeliveryPolicy.StandardSchedule;
    private int inFlight;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        var recording = recorder.RunAsync();
        var settings = options.Value;
        var running = new ConcurrentDictionary<Task, byte>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var capacity = settings.MaxInFlight - Volatile.Read(ref inFlight);
                var busy = perEndpoint.Where(p => p.Value >= settings.MaxConcurrencyPerEndpoint).Select(p => p.Key).ToArray();
                var claimed = capacity <= 0 ? [] : await claims.ClaimAsync(owner, capacity, settings.MaxConcurrencyPerEndpoint, busy, clock.GetUtcNow(), stoppingToken);
                if (claimed.Count == 0)
                {
                    await signal.WaitAsync(settings.IdlePoll, stoppingToken);
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
                        signal.Notify();
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
                var succeeded = outcome.StatusCode is { } status && DeliveryPolicy.Classify(status) == AttemptVerdict.Succeeded;
                metrics.Deliveries.Add(1, new KeyValuePair<string, object?>("outcome", succeeded ? "succeeded" : "failed"));
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
            ? DeliveryPolicy.For(work.Retries.Schedule, schedule).NextAttempt(attempt, work.Retries.Retries, now, outcome.RetryAfter, Random.Shared.NextDouble())
            : null;
        var error = outcome.Error ?? (verdict == AttemptVerdict.Succeeded ? null : $"HTTP {outcome.StatusCode}");
        return new FinishedAttempt(work, true, attempt, outcome, verdict, DeliveryStatus.After(verdict, next is not null), next, error, now);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery loop failed ({Reason}); retrying")]
    private static partial void LogLoopFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record delivery {DeliveryId} ({Reason}); its claim will lapse and it will be sent again")]
    private static partial void LogRecordFailed(ILogger logger, Guid deliveryId, string reason);
}
