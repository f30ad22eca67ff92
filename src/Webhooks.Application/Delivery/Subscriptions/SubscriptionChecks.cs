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

    /// <summary>Refuses a destination the guard would not connect to (private networks, plain HTTP, …).</summary>
    public static async Task RequireAllowedDestinationAsync(IDestinationGuard guard, string url, CancellationToken cancellationToken)
    {
        if (await guard.RefuseAsync(url, cancellationToken) is { } reason)
        {
            throw new ValidationException(reason);
        }
    }
}
