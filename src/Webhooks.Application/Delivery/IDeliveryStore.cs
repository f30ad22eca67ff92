namespace Webhooks.Application.Delivery;

/// <summary>Subscriptions, intake and logs in PostgreSQL. Secrets go in as plain text and are stored encrypted.</summary>
public interface IDeliveryStore
{
    Task<SubscriptionView> CreateAsync(SubscriptionInput input, string secret, CancellationToken cancellationToken);

    Task<SubscriptionView?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <param name="after">Keyset cursor (the last id of the previous page); <paramref name="offset"/> is used only without it.</param>
    Task<SubscriptionPage> ListAsync(int limit, int offset, Guid? after, bool? isActive, CancellationToken cancellationToken);

    /// <summary>Applies the set fields; re-enabling clears the disabled state and the failure streak.</summary>
    Task<SubscriptionView?> UpdateAsync(Guid id, SubscriptionInput patch, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Adds a new secret; the current ones expire after <paramref name="overlap"/>.</summary>
    Task<SubscriptionView?> RotateSecretAsync(Guid id, string secret, TimeSpan overlap, CancellationToken cancellationToken);

    Task<(IReadOnlyList<AttemptLog> Items, Guid? Next)> LogsAsync(Guid id, int limit, Guid? before, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the event and one pending delivery per active subscription whose patterns match, in one transaction;
    /// an event id seen before changes nothing and reports the first fan-out. With <paramref name="inboundOnly"/>,
    /// only subscriptions that opted in to inbound events count, and an event nobody wants is not stored.
    /// </summary>
    Task<PublishedEvent> IntakeAsync(OutboundEvent outbound, bool inboundOnly, CancellationToken cancellationToken);

    /// <summary>Queues again what the subscription missed or gave up on since <paramref name="since"/>: its dead deliveries and matching events it never got.</summary>
    Task<int?> ReplayAsync(Guid id, DateTimeOffset since, CancellationToken cancellationToken);
}

/// <summary>Sends one real, signed request to a subscription's endpoint, and logs it.</summary>
public interface ISubscriptionTester
{
    Task<TestSendResult?> SendTestAsync(Guid id, string eventType, System.Text.Json.JsonElement payload, CancellationToken cancellationToken);
}

/// <summary>The SSRF and HTTPS rules for destinations.</summary>
public interface IDestinationGuard
{
    /// <returns>Why the URL is refused, or null when it may be used.</returns>
    Task<string?> RefuseAsync(string url, CancellationToken cancellationToken);
}

/// <summary>What this deployment's delivery can do, as configured.</summary>
public interface IDeliveryCapabilities
{
    /// <summary>Whether inbound-mapped events are taken in, so that include_inbound means something.</summary>
    bool InboundEvents { get; }
}
