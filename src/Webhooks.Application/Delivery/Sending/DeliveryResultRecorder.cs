using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Events;
using Webhooks.Domain.Delivery;

namespace Webhooks.Application.Delivery.Sending;

/// <summary>
/// Records finished attempts in batches: whatever finished while the last batch was being written goes in the next, in
/// one transaction — the deliveries' new states and log lines, each subscription's counters moved by
/// <see cref="AttemptTally"/>, and the automatic disabling <see cref="AutoDisableRule"/> decides, announced as
/// evt.gateway.subscription.disabled. Each caller waits for its batch to commit, so a worker's slot is held until its
/// result is durable; a batch that fails leaves its deliveries claimed, and they are sent again once the lease lapses,
/// as when the process dies.
/// </summary>
public sealed partial class DeliveryResultRecorder(
    IDeliveryResultStore store, IEndpointSender sender, IOutboxNotifier relay, IOptions<DeliveryRules> rules, TimeProvider clock, ILogger<DeliveryResultRecorder> logger)
{
    private const int MaxBatch = 500;
    private readonly Channel<(FinishedAttempt Result, TaskCompletionSource Done)> queue =
        Channel.CreateUnbounded<(FinishedAttempt, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Queues the result for the next batch; completes when that batch has committed.</summary>
    public Task RecordAsync(FinishedAttempt result)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!queue.Writer.TryWrite((result, done)))
        {
            done.SetException(new InvalidOperationException("the delivery recorder has stopped"));
        }

        return done.Task;
    }

    /// <summary>Writes batches until <see cref="Complete"/> is called and the queue is empty.</summary>
    public async Task RunAsync()
    {
        var batch = new List<(FinishedAttempt Result, TaskCompletionSource Done)>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            await WriteOrSplitAsync(batch);
            batch.Clear();
        }
    }

    public void Complete() => queue.Writer.TryComplete();

    /// <summary>
    /// Writes the batch; if the store refuses it, each result is tried alone, so one it refuses cannot fail its
    /// neighbours (an unreachable store fails them all at once, and their claims lapse).
    /// </summary>
    private async Task WriteOrSplitAsync(List<(FinishedAttempt Result, TaskCompletionSource Done)> batch)
    {
        try
        {
            // Not cancelled at shutdown: these requests were sent, and recording them spares their receivers a repeat.
            await WriteAsync(batch.ConvertAll(b => b.Result), CancellationToken.None);
            batch.ForEach(b => b.Done.TrySetResult());
        }
        catch (Exception ex) when (batch.Count > 1 && ex is not StorageUnavailableException)
        {
            foreach (var single in batch)
            {
                await WriteOrSplitAsync([single]);
            }
        }
        catch (Exception ex)
        {
            // Whatever it was, it fails these results only: the recorder keeps running for the others, and these
            // deliveries are sent again once their lease lapses.
            LogBatchFailed(logger, batch.Count, ex.Message);
            batch.ForEach(b => b.Done.TrySetException(ex));
        }
    }

    private async Task WriteAsync(List<FinishedAttempt> results, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var tallies = new Dictionary<Guid, AttemptTally>();
        foreach (var result in results.Where(r => r.Attempted))
        {
            var id = result.Delivery.Endpoint.Id;
            (tallies.TryGetValue(id, out var tally) ? tally : tallies[id] = new AttemptTally()).Add(result.Verdict, result.Error, result.At);
        }

        await using var transaction = await store.BeginAsync(cancellationToken);
        var before = await transaction.StoreAsync(results, now, cancellationToken);

        var rule = rules.Value.AutoDisable;
        var after = new Dictionary<Guid, SubscriptionCounters>();
        var disabling = new List<(Guid Id, string Reason)>();
        foreach (var (subscription, tally) in tallies)
        {
            if (!before.TryGetValue(subscription, out var counters))
            {
                continue; // deleted meanwhile: nothing to count
            }

            var counted = tally.Apply(counters, rule, now);
            after[subscription] = counted.After;
            if (counted.DisableReason is { } reason)
            {
                disabling.Add((subscription, reason));
            }
        }

        if (after.Count > 0)
        {
            await transaction.StoreCountersAsync(after, cancellationToken);
        }

        var disabled = disabling.Count == 0 ? [] : await transaction.DisableAsync(disabling, now, cancellationToken);
        if (disabled.Count > 0)
        {
            await transaction.AnnounceAsync(disabled.Select(d => GatewayEvents.SubscriptionDisabled(d.Id, d.Url, d.Reason, now)).ToList(), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);

        foreach (var (subscription, _, reason) in disabled)
        {
            sender.Reset(subscription);
            LogDisabled(logger, subscription, reason);
        }

        if (disabled.Count > 0)
        {
            relay.Notify();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record {Count} delivery results ({Reason}); their claims will lapse and they will be sent again")]
    private static partial void LogBatchFailed(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {SubscriptionId} disabled: {Reason}")]
    private static partial void LogDisabled(ILogger logger, Guid subscriptionId, string reason);
}
