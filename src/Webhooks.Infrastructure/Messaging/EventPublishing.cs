namespace Webhooks.Infrastructure.Messaging;

/// <summary>Publishes one outbox event to the topic exchange and returns once the broker confirmed it.</summary>
internal interface IEventPublisher
{
    /// <exception cref="EventRefusedException">The broker nacked or returned the event.</exception>
    Task PublishAsync(ClaimedEvent message, CancellationToken cancellationToken);
}

/// <summary>The broker answered, and refused: a nack, or (publishing mandatory) a return of an unroutable event.</summary>
internal sealed class EventRefusedException(bool returned, string detail, Exception? inner = null)
    : Exception(returned ? $"The broker returned the event as unroutable: {detail}" : $"The broker refused the event (nack): {detail}", inner)
{
    public bool Returned { get; } = returned;
}

/// <summary>An outbox row claimed for publishing.</summary>
internal sealed record ClaimedEvent(Guid Id, string Source, string EventType, string? CorrelationId, string Envelope, int Attempts);
