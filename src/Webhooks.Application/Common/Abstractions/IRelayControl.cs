namespace Webhooks.Application.Common.Abstractions;

public sealed record RelayStatus(bool Paused, bool BrokerReachable, long Published, long DeadLettered, DateTimeOffset? LastPublishedAt);

/// <summary>The relay as operators see and steer it: its state, pause and resume (this instance's relay).</summary>
public interface IRelayControl
{
    RelayStatus Status { get; }

    void Pause();

    void Resume();
}
