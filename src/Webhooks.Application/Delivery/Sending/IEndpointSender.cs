namespace Webhooks.Application.Delivery.Sending;

/// <summary>Sends one signed request to a subscription's endpoint (the SSRF rules, the timeout, the circuit breaker).</summary>
public interface IEndpointSender
{
    /// <param name="body">The envelope (<see cref="DeliveryEnvelope"/>), sent and signed byte for byte.</param>
    /// <param name="bypassBreaker">A test send: the endpoint's circuit neither stops nor counts it.</param>
    Task<AttemptOutcome> SendAsync(Endpoint endpoint, string messageId, string eventType, byte[] body, bool bypassBreaker, CancellationToken cancellationToken);

    /// <summary>Forgets a subscription's circuit (it was disabled, changed or re-enabled).</summary>
    void Reset(Guid subscription);
}
