using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Delivery.Subscriptions;

public sealed record GetSubscription(Guid Id) : IRequest<SubscriptionView>;

internal sealed class GetSubscriptionHandler(IWebhooksDbContext db, ISubscriptionProtector protector) : IRequestHandler<GetSubscription, SubscriptionView>
{
    public async Task<SubscriptionView> Handle(GetSubscription query, CancellationToken cancellationToken)
    {
        var subscription = await db.Subscriptions.AsNoTracking().Include(s => s.Secrets).FirstOrDefaultAsync(s => s.Id == query.Id, cancellationToken)
            ?? throw new NotFoundException("Subscription", query.Id);
        return SubscriptionMapping.View(subscription, protector);
    }
}
