using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
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
}
