using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Domain.Delivery;
using Webhooks.Application.Tenants;

namespace Webhooks.Application.Delivery.Subscriptions;

/// <summary>Changes the fields <paramref name="Patch"/> sets and leaves the others as they are.</summary>
public sealed record UpdateSubscription(Guid Id, SubscriptionInput Patch, string? Application = null) : IRequest<SubscriptionView>, ITransactionalCommand, IApplicationScoped;

internal sealed class UpdateSubscriptionHandler(
    IWebhooksDbContext db, ISubscriptionProtector protector, IDestinationGuard guard, ApplicationScope scope, ICaller caller,
    IDeliveryCapabilities capabilities, TimeProvider clock)
    : IRequestHandler<UpdateSubscription, SubscriptionView>
{
    public async Task<SubscriptionView> Handle(UpdateSubscription command, CancellationToken cancellationToken)
    {
        SubscriptionChecks.RequireInbound(capabilities, command.Patch);
        SubscriptionChecks.RequireOperatorForGatewayOrInbound(caller, command.Patch);
        if (command.Patch.Url is { } url)
        {
            await SubscriptionChecks.RequireAllowedDestinationAsync(guard, url, cancellationToken);
        }

        // Locked: the delivery recorder may be disabling it, or another operator changing it, at the same moment.
        // The lock first, then a fresh read: a statement that waits for the lock keeps the snapshot it started with,
        // so secrets another change added meanwhile would be missing from a join in that same statement.
        _ = await db.SubscriptionLocked(command.Id).Select(s => s.Id).FirstOrDefaultAsync(cancellationToken);
        var subscription = await db.Subscriptions.Include(s => s.Secrets).FirstOrDefaultAsync(s => s.Id == command.Id, cancellationToken)
            ?? throw new NotFoundException("Subscription", command.Id);
        scope.Require(subscription.ApplicationId, "Subscription", command.Id);
        var now = clock.GetUtcNow();
        subscription.Change(SubscriptionMapping.Settings(command.Patch, subscription, protector), now);
        if (command.Patch.IsActive == true)
        {
            subscription.Enable(now);
        }
        else if (command.Patch.IsActive == false)
        {
            subscription.Disable(Subscription.DisabledByOperator, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        return SubscriptionMapping.View(subscription, protector);
    }
}
