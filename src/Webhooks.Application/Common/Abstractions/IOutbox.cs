using Webhooks.Domain.Outbox;

namespace Webhooks.Application.Common.Abstractions;

/// <summary>
/// New events for the outbox, written with the unit of work's next save, in its transaction (by the one outbox writer,
/// which also offers the gateway's own events to the outbound subscriptions).
/// </summary>
public interface IOutbox
{
    void Add(OutboxMessage message);
}
