namespace Webhooks.Infrastructure.Messaging;

/// <summary>Publishes one outbox event to the topic exchange and returns once the broker confirmed it.</summary>
internal interface IEventPublisher
{
    /// <exception cref="EventRefusedException">The broker nacked or returned the event.</exception>
    Task PublishAsync(ClaimedEvent message, CancellationToken cancellationToken);
}

/// <summary>
/// The broker answered, and refused this event: a nack, a return of an unroutable event (publishing mandatory), or a
/// channel closed because of this message (over the broker's size limit).
/// </summary>
internal sealed class EventRefusedException(string reason, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>nack, returned or closed: the label of the publish failure metric.</summary>
    public string Reason { get; } = reason;

    public static EventRefusedException Nack(string detail, Exception? inner = null) => new("nack", $"The broker refused the event (nack): {detail}", inner);

    public static EventRefusedException Returned(string detail, Exception? inner = null) => new("returned", $"The broker returned the event as unroutable: {detail}", inner);

    public static EventRefusedException Closed(string detail, Exception? inner = null) => new("closed", $"The broker closed the channel for this event: {detail}", inner);
}

/// <summary>An outbox row claimed for publishing.</summary>
internal sealed record ClaimedEvent(Guid Id, string Source, string EventType, string? CorrelationId, string Envelope, int Attempts);
