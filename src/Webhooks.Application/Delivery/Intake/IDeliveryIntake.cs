namespace Webhooks.Application.Delivery.Intake;

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
