using Webhooks.Application.Delivery.Sending;
using Webhooks.Infrastructure.Relay;

namespace Webhooks.Infrastructure.Delivery;

/// <summary>Wakes this instance's delivery loop when deliveries were queued here or a request's slot freed.</summary>
internal sealed class DeliverySignal : WakeSignal, IDeliveryWakeUps
{
    Task IDeliveryWakeUps.WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => WaitAsync(timeout, cancellationToken);
}
