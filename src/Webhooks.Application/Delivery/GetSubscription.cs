using MediatR;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Delivery;

public sealed record GetSubscription(Guid Id) : IRequest<SubscriptionView>;

internal sealed class GetSubscriptionHandler(IDeliveryStore store) : IRequestHandler<GetSubscription, SubscriptionView>
{
    public async Task<SubscriptionView> Handle(GetSubscription query, CancellationToken cancellationToken) =>
        await store.FindAsync(query.Id, cancellationToken) ?? throw new NotFoundException("Subscription", query.Id);
}
