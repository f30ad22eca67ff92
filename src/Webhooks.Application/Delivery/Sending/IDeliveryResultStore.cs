namespace Webhooks.Application.Delivery.Sending;

/// <summary>Where finished attempts are recorded: one transaction per batch (<see cref="IDeliveryResultBatch"/>).</summary>
public interface IDeliveryResultStore
{
    Task<IDeliveryResultBatch> BeginAsync(CancellationToken cancellationToken);

    /// <summary>One line of a subscription's log for a test send (no delivery, no counters), with the body sent.</summary>
    Task LogTestAsync(Guid subscription, string eventType, AttemptOutcome outcome, string? error, string payload, DateTimeOffset now, CancellationToken cancellationToken);
}
