using System.Collections.Concurrent;
using MediatR;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Domain.Common;

namespace Webhooks.Application.Common.DomainEvents;

/// <summary>Publishes each domain event, in the order raised, to its <see cref="INotificationHandler{TNotification}"/>s.</summary>
internal sealed class MediatorDomainEventDispatcher(IMediator mediator) : IDomainEventDispatcher
{
    private static readonly ConcurrentDictionary<Type, Func<IDomainEvent, INotification>> Wrappers = new();

    public async Task DispatchAsync(IReadOnlyList<IDomainEvent> events, CancellationToken cancellationToken)
    {
        foreach (var domainEvent in events)
        {
            var wrap = Wrappers.GetOrAdd(domainEvent.GetType(), type =>
            {
                var notification = typeof(DomainEventNotification<>).MakeGenericType(type);
                return e => (INotification)Activator.CreateInstance(notification, e)!;
            });
            await mediator.Publish(wrap(domainEvent), cancellationToken);
        }
    }
}
