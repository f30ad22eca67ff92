using MediatR;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Delivery;

/// <summary>Changes the fields <paramref name="Patch"/> sets and leaves the others as they are.</summary>
public sealed record UpdateSubscription(Guid Id, SubscriptionInput Patch) : IRequest<SubscriptionView>;

internal sealed class UpdateSubscriptionHandler(IDeliveryStore store, IDestinationGuard guard, IDeliveryCapabilities capabilities)
    : IRequestHandler<UpdateSubscription, SubscriptionView>
{
    public async Task<SubscriptionView> Handle(UpdateSubscription command, CancellationToken cancellationToken)
    {
        SubscriptionChecks.RequireInbound(capabilities, command.Patch);
        if (command.Patch.Url is { } url)
        {
            await SubscriptionChecks.RequireAllowedDestinationAsync(guard, url, cancellationToken);
        }

        return await store.UpdateAsync(command.Id, command.Patch, cancellationToken) ?? throw new NotFoundException("Subscription", command.Id);
    }
}
