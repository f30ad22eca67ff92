using Webhooks.Domain.Delivery;
using Webhooks.Domain.Outbox;

namespace Webhooks.Application.Delivery.Sending;

/// <summary>
/// One batch of finished attempts, recorded in one transaction: it stores what <see cref="DeliveryResultRecorder"/>
/// decided with the Domain rules and decides nothing itself. Disposing it without <see cref="CommitAsync"/> rolls back.
/// </summary>
public interface IDeliveryResultBatch : IAsyncDisposable
{
    /// <summary>
    /// Locks the subscriptions of <paramref name="results"/> (in id order, so batches never wait on each other in a
    /// circle), stores each delivery's new state and a log line for each real attempt — only while the delivery is still
    /// its claim's — and answers the locked subscriptions' counters as they were before.
    /// </summary>
    Task<IReadOnlyDictionary<Guid, SubscriptionCounters>> StoreAsync(IReadOnlyList<FinishedAttempt> results, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Stores the subscriptions' counters as decided.</summary>
    Task StoreCountersAsync(IReadOnlyDictionary<Guid, SubscriptionCounters> counters, CancellationToken cancellationToken);

    /// <summary>Disables the subscriptions that are still active; answers those it disabled, with their URLs.</summary>
    Task<IReadOnlyList<(Guid Id, string Url, string Reason)>> DisableAsync(IReadOnlyList<(Guid Id, string Reason)> disabling, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Writes the gateway's events to the outbox, in this transaction.</summary>
    Task AnnounceAsync(IReadOnlyList<OutboxMessage> events, CancellationToken cancellationToken);

    Task CommitAsync(CancellationToken cancellationToken);
}
