using Webhooks.Application.Common.Exceptions;
using MediatR;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Domain.Delivery;
using Webhooks.Application.Tenants;

namespace Webhooks.Application.Delivery.Subscriptions;

public sealed record CreateSubscription(SubscriptionInput Input, string? Application = null) : IRequest<SubscriptionView>, IApplicationScoped;

/// <summary>Creates a subscription; its secret (given, or generated) is in this answer only.</summary>
internal sealed class CreateSubscriptionHandler(
    IWebhooksDbContext db, ISubscriptionProtector protector, IDestinationGuard guard, ApplicationScope scope, ICaller caller, ITenantDirectory tenants, IDeliveryCapabilities capabilities, TimeProvider clock)
    : IRequestHandler<CreateSubscription, SubscriptionView>
{
    public async Task<SubscriptionView> Handle(CreateSubscription command, CancellationToken cancellationToken)
    {
        SubscriptionChecks.RequireInbound(capabilities, command.Input);
        SubscriptionChecks.RequireOperatorForGatewayOrInbound(caller, command.Input);
        Guid? named = null;
        if (scope.Id is null && command.Input.ApplicationId is { } application)
        {
            named = await tenants.FindAsync(application, cancellationToken) ?? throw new NotFoundException("Application", application);
        }

        await SubscriptionChecks.RequireAllowedDestinationAsync(guard, command.Input.Url!, cancellationToken);
        var secret = command.Input.Secret ?? OutboundSignature.NewSecret();
        var now = clock.GetUtcNow();
        var subscription = Subscription.Create(Guid.CreateVersion7(now), scope.ForNew(named), SubscriptionMapping.Settings(command.Input, null, protector),
            command.Input.IsActive ?? true, SubscriptionMapping.NewSecret(secret, protector, now), now);
        db.Subscriptions.Add(subscription);
        await db.SaveChangesAsync(cancellationToken);
        return SubscriptionMapping.View(subscription, protector) with { Secret = secret };
    }
}
