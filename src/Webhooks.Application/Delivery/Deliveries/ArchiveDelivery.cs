using Webhooks.Application.Tenants;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Delivery.Deliveries;

/// <summary>Puts a dead delivery aside: it leaves the list of what needs attention (a retry still queues it).</summary>
public sealed record ArchiveDelivery(Guid Id, string? Application = null) : IRequest<DeliverySummary>, ITransactionalCommand, IApplicationScoped;

internal sealed class ArchiveDeliveryHandler(IWebhooksDbContext db, ApplicationScope scope, TimeProvider clock) : IRequestHandler<ArchiveDelivery, DeliverySummary>
{
    public async Task<DeliverySummary> Handle(ArchiveDelivery command, CancellationToken cancellationToken)
    {
        var delivery = await db.DeliveryLocked(command.Id).FirstOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("Delivery", command.Id);
        await DeliveryScope.RequireAsync(db, scope, delivery, cancellationToken);
        Transitions.Apply(() => delivery.Archive(clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return DeliverySummary.From(delivery);
    }
}
