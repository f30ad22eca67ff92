namespace Webhooks.Application.Delivery;

/// <summary>Outbound intake: events in, one pending delivery per matching subscription, and this instance's wake-ups.</summary>
public interface IDeliveryIntake
{
    /// <summary>
    /// Stores the event and one pending delivery per active subscription whose patterns match, in one transaction;
    /// an event id seen before changes nothing and reports the first fan-out. With <paramref name="inboundOnly"/>,
    /// only subscriptions that opted in to inbound events count, and an event nobody wants is not stored.
    /// </summary>
    Task<PublishedEvent> IntakeAsync(OutboundEvent outbound, bool inboundOnly, CancellationToken cancellationToken);

    /// <summary>A subscription changed through this instance: the next inbound event reads the opt-ins again.</summary>
    void SubscriptionsChanged();

    /// <summary>Deliveries were queued (a replay): wake this instance's workers.</summary>
    void DeliveriesQueued();
}

/// <summary>Encrypts what subscriptions keep secret — signing secrets and custom headers — before it is stored.</summary>
public interface ISubscriptionProtector
{
    string Protect(string secret);

    string ProtectHeaders(IReadOnlyDictionary<string, string>? headers);

    /// <summary>The headers in clear; none when their key is gone from the ring.</summary>
    IReadOnlyDictionary<string, string> UnprotectHeaders(string stored);
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

    /// <summary>Webhooks:Delivery:MaxEventBytes: the largest event taken in (HTTP body or AMQP message).</summary>
    int MaxEventBytes { get; }
}
