namespace Webhooks.Application.Delivery.Sending;

/// <summary>Counts outbound attempts by outcome (the metrics).</summary>
public interface IDeliveryObserver
{
    void Attempted(bool succeeded);
}
