using FluentValidation;
using MediatR;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Delivery;

/// <summary>A new generated secret; the previous ones keep signing for the overlap (24 hours unless given).</summary>
public sealed record RotateSubscriptionSecret(Guid Id, int? ExpirePreviousAfterSeconds) : IRequest<SubscriptionView>;

internal sealed class RotateSubscriptionSecretHandler(IDeliveryStore store) : IRequestHandler<RotateSubscriptionSecret, SubscriptionView>
{
    public async Task<SubscriptionView> Handle(RotateSubscriptionSecret command, CancellationToken cancellationToken)
    {
        if (command.ExpirePreviousAfterSeconds is < 0 or > 7 * 86_400)
        {
            throw new ValidationException("expire_previous_after_seconds must be between 0 and 604800 (7 days).");
        }

        var secret = OutboundSignature.NewSecret();
        var overlap = TimeSpan.FromSeconds(command.ExpirePreviousAfterSeconds ?? 86_400);
        var view = await store.RotateSecretAsync(command.Id, secret, overlap, cancellationToken) ?? throw new NotFoundException("Subscription", command.Id);
        return view with { Secret = secret };
    }
}
