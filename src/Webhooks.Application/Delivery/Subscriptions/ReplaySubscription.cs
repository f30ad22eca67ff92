using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Delivery.Intake;
using Webhooks.Application.Tenants;

namespace Webhooks.Application.Delivery.Subscriptions;

/// <summary>
/// Queues again what the subscription gave up on or missed since <paramref name="Since"/> (default: when it was
/// disabled, else a day ago).
/// </summary>
public sealed record ReplaySubscription(Guid Id, DateTimeOffset? Since, string? Application = null) : IRequest<ReplayResult>, IApplicationScoped;

public sealed record ReplayResult(Guid SubscriptionId, DateTimeOffset Since, int Queued);

internal sealed class ReplaySubscriptionHandler(IWebhooksDbContext db, IDeliveryIntake intake, ApplicationScope scope, TimeProvider clock) : IRequestHandler<ReplaySubscription, ReplayResult>
{
    public async Task<ReplayResult> Handle(ReplaySubscription command, CancellationToken cancellationToken)
    {
        var subscription = await db.Subscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == command.Id, cancellationToken)
            ?? throw new NotFoundException("Subscription", command.Id);
        scope.Require(subscription.ApplicationId, "Subscription", command.Id);
        var now = clock.GetUtcNow();
        var since = subscription.ReplaySince(command.Since, now);
        var queued = await db.RequeueDeliveriesAsync(subscription, since, now, cancellationToken);
        intake.DeliveriesQueued();
        return new ReplayResult(command.Id, since, queued);
    }
}
