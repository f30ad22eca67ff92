namespace Webhooks.Application.Delivery.Sending;

/// <summary>Wakes this instance's delivery loop when work may be waiting (deliveries queued, a slot freed).</summary>
public interface IDeliveryWakeUps
{
    /// <summary>Waits for a wake-up, at most <paramref name="timeout"/>.</summary>
    Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken);

    void Notify();
}
