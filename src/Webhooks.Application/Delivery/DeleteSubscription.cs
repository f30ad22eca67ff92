using MediatR;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Delivery;

public sealed record DeleteSubscription(Guid Id) : IRequest<Unit>;

internal sealed class DeleteSubscriptionHandler(IDeliveryStore store) : IRequestHandler<DeleteSubscription, Unit>
{
    public async Task<Unit> Handle(DeleteSubscription command, CancellationToken cancellationToken) =>
        await store.DeleteAsync(command.Id, cancellationToken) ? Unit.Value : throw new NotFoundException("Subscription", command.Id);
}
