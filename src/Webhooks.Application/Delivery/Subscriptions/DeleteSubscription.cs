using MediatR;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Delivery.Subscriptions;

public sealed record DeleteSubscription(Guid Id) : IRequest<Unit>;

/// <summary>Deletes the subscription; its secrets, deliveries and log go with it (the foreign keys cascade).</summary>
internal sealed class DeleteSubscriptionHandler(IWebhooksDbContext db) : IRequestHandler<DeleteSubscription, Unit>
{
    public async Task<Unit> Handle(DeleteSubscription command, CancellationToken cancellationToken)
    {
        var subscription = await db.Subscriptions.FindAsync([command.Id], cancellationToken) ?? throw new NotFoundException("Subscription", command.Id);
        subscription.Remove();
        db.Subscriptions.Remove(subscription);
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
