using Webhooks.Application.Delivery.Sending;

namespace Webhooks.Infrastructure.Observability;

/// <summary>Outbound attempts on webhooks_deliveries_total{outcome}.</summary>
internal sealed class DeliveryObserver(WebhooksMetrics metrics) : IDeliveryObserver
{
    public void Attempted(bool succeeded) => metrics.Deliveries.Add(1, new KeyValuePair<string, object?>("outcome", succeeded ? "succeeded" : "failed"));
}
