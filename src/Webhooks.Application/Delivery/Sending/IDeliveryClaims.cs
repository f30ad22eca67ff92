namespace Webhooks.Application.Delivery.Sending;

/// <summary>Claims due deliveries for this instance, with a lease, so several instances share the work.</summary>
public interface IDeliveryClaims
{
    /// <summary>
    /// At most <paramref name="limit"/> due deliveries, at most <paramref name="perSubscription"/> in flight per
    /// subscription across instances, none of the <paramref name="busy"/> subscriptions'. Deliveries of a disabled
    /// subscription, or whose event cannot be read, are parked as dead instead of being answered.
    /// </summary>
    Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(string owner, int limit, int perSubscription, IReadOnlyCollection<Guid> busy, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>What sending to one subscription needs, active or not (a test send); null when it does not exist.</summary>
    Task<Endpoint?> EndpointAsync(Guid subscription, DateTimeOffset now, CancellationToken cancellationToken);
}
