using Webhooks.Application.Tenants;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Delivery.Deliveries;

/// <summary>A new series of attempts for one delivery, under the same message id (receivers de-duplicate on it).</summary>
public sealed record RetryDelivery(Guid Id, string? Application = null) : IRequest<DeliverySummary>, ITransactionalCommand, IApplicationScoped;

internal sealed class RetryDeliveryHandler(IWebhooksDbContext db, ApplicationScope scope, TimeProvider clock)
    : IRequestHandler<RetryDelivery, DeliverySummary>
{
    public async Task<DeliverySummary> Handle(RetryDelivery command, CancellationToken cancellationToken)
    {
        var delivery = await db.DeliveryLocked(command.Id).FirstOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("Delivery", command.Id);
        await DeliveryScope.RequireAsync(db, scope, delivery, cancellationToken);
        Transitions.Apply(() => delivery.Retry(clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return DeliverySummary.From(delivery);
    }
}
