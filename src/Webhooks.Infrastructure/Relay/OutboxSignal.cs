namespace Webhooks.Infrastructure.Relay;

/// <summary>Wakes the relay when a commit adds events, so publishing does not wait for a polling interval.</summary>
internal sealed class OutboxSignal : WakeSignal;
