using Webhooks.Application.Tenants;
using MediatR;
using Webhooks.Application.Common.Abstractions;

namespace Webhooks.Application.Delivery.Deliveries;

/// <summary>Puts a dead delivery aside: it leaves the list of what needs attention (a retry still queues it).</summary>
public sealed record ArchiveDelivery(Guid Id, string? Application = null) : IRequest<DeliverySummary>, ITransactionalCommand, IApplicationScoped;

internal sealed class ArchiveDeliveryHandler(IWebhooksDbContext db, ApplicationScope scope, TimeProvider clock) : IRequestHandler<ArchiveDelivery, DeliverySummary>
{
    public Task<DeliverySummary> Handle(ArchiveDelivery command, CancellationToken cancellationToken) =>
        DeliveryScope.ChangeAsync(db, scope, command.Id, delivery => delivery.Archive(clock.GetUtcNow()), cancellationToken);
}
