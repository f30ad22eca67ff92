using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Tenants;
using Webhooks.Domain.Delivery;

namespace Webhooks.Application.Delivery.Deliveries;

/// <summary>A delivery belongs to its subscription's application: outside the caller's scope it does not exist.</summary>
internal static class DeliveryScope
{
    public static async Task RequireAsync(IWebhooksDbContext db, ApplicationScope scope, EventDelivery delivery, CancellationToken cancellationToken)
    {
        if (scope.Id is null)
        {
            return;
        }

        var application = await db.Subscriptions.Where(s => s.Id == delivery.SubscriptionId).Select(s => (Guid?)s.ApplicationId).FirstOrDefaultAsync(cancellationToken);
        scope.Require(application ?? Guid.Empty, "Delivery", delivery.Id);
    }

    /// <summary>
    /// One operator's change of one delivery (retry, archive): the row locked, the caller's scope checked, the
    /// Domain's transition applied (a refused one is a 409), saved.
    /// </summary>
    public static async Task<DeliverySummary> ChangeAsync(
        IWebhooksDbContext db, ApplicationScope scope, Guid id, Action<EventDelivery> transition, CancellationToken cancellationToken)
    {
        var delivery = await db.DeliveryLocked(id).FirstOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("Delivery", id);
        await RequireAsync(db, scope, delivery, cancellationToken);
        Transitions.Apply(() => transition(delivery));
        await db.SaveChangesAsync(cancellationToken);
        return DeliverySummary.From(delivery);
    }
}
