using Webhooks.Application.Tenants;
using MediatR;
using Webhooks.Application.Common.Abstractions;

namespace Webhooks.Application.Delivery.Deliveries;

/// <summary>A new series of attempts for one delivery, under the same message id (receivers de-duplicate on it).</summary>
public sealed record RetryDelivery(Guid Id, string? Application = null) : IRequest<DeliverySummary>, ITransactionalCommand, IApplicationScoped;

internal sealed class RetryDeliveryHandler(IWebhooksDbContext db, ApplicationScope scope, TimeProvider clock) : IRequestHandler<RetryDelivery, DeliverySummary>
{
    public Task<DeliverySummary> Handle(RetryDelivery command, CancellationToken cancellationToken) =>
        DeliveryScope.ChangeAsync(db, scope, command.Id, delivery => delivery.Retry(clock.GetUtcNow()), cancellationToken);
}
