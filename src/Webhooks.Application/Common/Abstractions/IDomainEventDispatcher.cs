using Webhooks.Domain.Common;

namespace Webhooks.Application.Common.Abstractions;

/// <summary>Hands the domain events a save took from its aggregates to their reactions, inside the saving transaction.</summary>
public interface IDomainEventDispatcher
{
    Task DispatchAsync(IReadOnlyList<IDomainEvent> events, CancellationToken cancellationToken);
}
