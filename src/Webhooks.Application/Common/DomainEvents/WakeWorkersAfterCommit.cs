using MediatR;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Delivery.Sending;
using Webhooks.Domain.Common;
using Webhooks.Application.Delivery.Intake;

namespace Webhooks.Application.Common.DomainEvents;

/// <summary>
/// The reactions that must wait for the commit: waking the relay for events that are pending again, the delivery
/// workers for deliveries queued again, forgetting what delivery cached about a changed subscription, reloading the
/// sources a change touched. Woken
/// before the commit, a worker could find nothing yet and sleep until its next poll.
/// </summary>
internal sealed class WakeWorkersAfterCommit(IAfterCommit afterCommit, IOutboxNotifier relay, IDeliveryIntake deliveries, IEndpointSender sender, ISourceCatalog sources) :
    INotificationHandler<DomainEventNotification<InboxMessageReplayed>>,
    INotificationHandler<DomainEventNotification<DeadLetterReplayed>>,
    INotificationHandler<DomainEventNotification<DeliveryRetried>>,
    INotificationHandler<DomainEventNotification<SubscriptionChanged>>,
    INotificationHandler<DomainEventNotification<SourceChanged>>
{
    public Task Handle(DomainEventNotification<InboxMessageReplayed> notification, CancellationToken cancellationToken) => After(relay.Notify);

    public Task Handle(DomainEventNotification<DeadLetterReplayed> notification, CancellationToken cancellationToken) => After(relay.Notify);

    public Task Handle(DomainEventNotification<DeliveryRetried> notification, CancellationToken cancellationToken) => After(deliveries.DeliveriesQueued);

    public Task Handle(DomainEventNotification<SubscriptionChanged> notification, CancellationToken cancellationToken) => After(() =>
    {
        deliveries.SubscriptionsChanged();
        sender.Reset(notification.Event.SubscriptionId);
    });

    /// <summary>This instance serves the change at once (the others within their refresh interval).</summary>
    public Task Handle(DomainEventNotification<SourceChanged> notification, CancellationToken cancellationToken) =>
        afterCommit.AddAsync(() => sources.ReloadAsync(CancellationToken.None));

    private Task After(Action work) => afterCommit.AddAsync(() =>
    {
        work();
        return Task.CompletedTask;
    });
}
