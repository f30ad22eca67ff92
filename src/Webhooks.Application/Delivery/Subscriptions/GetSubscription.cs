using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Tenants;

namespace Webhooks.Application.Delivery.Subscriptions;

public sealed record GetSubscription(Guid Id, string? Application = null) : IRequest<SubscriptionView>, IApplicationScoped;

internal sealed class GetSubscriptionHandler(IWebhooksDbContext db, ISubscriptionProtector protector, ApplicationScope scope) : IRequestHandler<GetSubscription, SubscriptionView>
{
    public async Task<SubscriptionView> Handle(GetSubscription query, CancellationToken cancellationToken)
    {
        var subscription = await db.Subscriptions.AsNoTracking().Include(s => s.Secrets).FirstOrDefaultAsync(s => s.Id == query.Id, cancellationToken)
            ?? throw new NotFoundException("Subscription", query.Id);
        scope.Require(subscription.ApplicationId, "Subscription", query.Id);
        return SubscriptionMapping.View(subscription, protector);
    }
}
