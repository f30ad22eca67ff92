using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Common.Abstractions;
using FluentValidation;

namespace Webhooks.Application.Delivery.Subscriptions;

/// <summary>What creating or changing a subscription checks against the running service, beyond its fields.</summary>
internal static class SubscriptionChecks
{
    /// <summary>include_inbound only makes sense where the service consumes the inbound events.</summary>
    public static void RequireInbound(IDeliveryCapabilities capabilities, SubscriptionInput input)
    {
        if (input.IncludeInbound == true && !capabilities.InboundEvents)
        {
            throw new ValidationException("include_inbound needs Webhooks:Delivery:ConsumeInboundEvents=true on the service; it is off, so no inbound event would ever arrive.");
        }
    }

    /// <summary>
    /// Only an operator's key may make a subscription receive the inbound-mapped events of webhooks.events or the
    /// gateway's own evt.gateway.* (contract v3): one tenant must never see another's webhooks or the gateway's events.
    /// </summary>
    public static void RequireOperatorForGatewayOrInbound(ICaller caller, SubscriptionInput input)
    {
        if (caller.Kind is not (CallerKind.ApplicationKey or CallerKind.Portal))
        {
            return;
        }

        if (input.IncludeInbound == true)
        {
            throw new ForbiddenException("Only an operator's key may make a subscription receive inbound webhooks' events (include_inbound).");
        }

        if (input.Events?.FirstOrDefault(e => e.StartsWith(Contracts.RoutingKeys.GatewayPrefix, StringComparison.Ordinal)) is { } gateway)
        {
            throw new ForbiddenException($"Only an operator's key may subscribe to the gateway's own events ('{gateway}').");
        }
    }

    /// <summary>Refuses a destination the guard would not connect to (private networks, plain HTTP, …).</summary>
    public static async Task RequireAllowedDestinationAsync(IDestinationGuard guard, string url, CancellationToken cancellationToken)
    {
        if (await guard.RefuseAsync(url, cancellationToken) is { } reason)
        {
            throw new ValidationException(reason);
        }
    }
}
