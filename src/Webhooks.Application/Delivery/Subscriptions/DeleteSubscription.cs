using MediatR;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Tenants;

namespace Webhooks.Application.Delivery.Subscriptions;

public sealed record DeleteSubscription(Guid Id, string? Application = null) : IRequest<Unit>, IApplicationScoped;

/// <summary>Deletes the subscription; its secrets, deliveries and log go with it (the foreign keys cascade).</summary>
internal sealed class DeleteSubscriptionHandler(IWebhooksDbContext db, ApplicationScope scope) : IRequestHandler<DeleteSubscription, Unit>
{
    public async Task<Unit> Handle(DeleteSubscription command, CancellationToken cancellationToken)
    {
        var subscription = await db.Subscriptions.FindAsync([command.Id], cancellationToken) ?? throw new NotFoundException("Subscription", command.Id);
        scope.Require(subscription.ApplicationId, "Subscription", command.Id);
        subscription.Remove();
        db.Subscriptions.Remove(subscription);
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
