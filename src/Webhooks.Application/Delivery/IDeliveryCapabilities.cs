namespace Webhooks.Application.Delivery;

/// <summary>What this deployment's delivery can do, as configured.</summary>
public interface IDeliveryCapabilities
{
    /// <summary>Whether inbound-mapped events are taken in, so that include_inbound means something.</summary>
    bool InboundEvents { get; }

    /// <summary>Webhooks:Delivery:MaxEventBytes: the largest event taken in (HTTP body or AMQP message).</summary>
    int MaxEventBytes { get; }
}
