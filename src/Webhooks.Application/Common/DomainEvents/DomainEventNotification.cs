using MediatR;
using Webhooks.Domain.Common;

namespace Webhooks.Application.Common.DomainEvents;

/// <summary>A domain event as a mediator notification (the Domain knows no mediator).</summary>
public sealed record DomainEventNotification<TEvent>(TEvent Event) : INotification
    where TEvent : IDomainEvent;
