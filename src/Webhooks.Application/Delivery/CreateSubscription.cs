using MediatR;

namespace Webhooks.Application.Delivery;

public sealed record CreateSubscription(SubscriptionInput Input) : IRequest<SubscriptionView>;

/// <summary>Creates a subscription; its secret (given, or generated) is in this answer only.</summary>
internal sealed class CreateSubscriptionHandler(IDeliveryStore store, IDestinationGuard guard, IDeliveryCapabilities capabilities)
    : IRequestHandler<CreateSubscription, SubscriptionView>
{
    public async Task<SubscriptionView> Handle(CreateSubscription command, CancellationToken cancellationToken)
    {
        SubscriptionChecks.RequireInbound(capabilities, command.Input);
        await SubscriptionChecks.RequireAllowedDestinationAsync(guard, command.Input.Url!, cancellationToken);
        var secret = command.Input.Secret ?? OutboundSignature.NewSecret();
        return await store.CreateAsync(command.Input, secret, cancellationToken) with { Secret = secret };
    }
}
