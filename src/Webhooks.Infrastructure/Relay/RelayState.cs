namespace Webhooks.Infrastructure.Relay;

/// <summary>What the relay is doing, for health, metrics and operators (who can pause it).</summary>
internal sealed class RelayState : Application.Common.Abstractions.IRelayControl
{
    private volatile bool paused;
    private volatile bool brokerReachable;
    private long published;
    private long refused;
    private long deadLettered;

    public bool Paused => paused;

    public bool BrokerReachable => brokerReachable;

    public long Published => Interlocked.Read(ref published);

    public long Refused => Interlocked.Read(ref refused);

    public long DeadLettered => Interlocked.Read(ref deadLettered);

    public DateTimeOffset? LastPublishedAt { get; private set; }

    public Application.Common.Abstractions.RelayStatus Status => new(Paused, BrokerReachable, Published, DeadLettered, LastPublishedAt);

    public void Pause() => paused = true;

    public void Resume() => paused = false;

    internal void BrokerIs(bool reachable) => brokerReachable = reachable;

    internal void CountPublished(int count, DateTimeOffset now)
    {
        Interlocked.Add(ref published, count);
        LastPublishedAt = now;
    }

    internal void CountRefused(bool dead)
    {
        Interlocked.Increment(ref refused);
        if (dead)
        {
            Interlocked.Increment(ref deadLettered);
        }
    }
}
