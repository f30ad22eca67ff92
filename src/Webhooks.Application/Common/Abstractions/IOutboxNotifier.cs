namespace Webhooks.Application.Common.Abstractions;

/// <summary>Wakes the relay after an admin action put events back in the outbox.</summary>
public interface IOutboxNotifier
{
    void Notify();
}
