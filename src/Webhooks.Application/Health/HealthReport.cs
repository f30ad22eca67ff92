namespace Webhooks.Application.Health;

public sealed record DependencyHealth(string Status, string? Detail = null);

public sealed record RelayHealth(string Status, long Backlog, double? OldestAgeSeconds, bool Paused, long Published, long DeadLettered);

public sealed record SourceHealth(string Name, string Provider, bool Enabled);

/// <param name="KeyRing">protected (encrypted with Webhooks:DataProtection's certificate) or unprotected.</param>
public sealed record HealthReport(string Status, DependencyHealth Database, DependencyHealth Broker, RelayHealth Relay, IReadOnlyList<SourceHealth> Sources, string KeyRing)
{
    public bool Ready => Database.Status == "up" && Broker.Status == "up";
}

/// <summary>The state of each dependency, as health and readiness report it.</summary>
public interface IHealthReporter
{
    /// <summary>Probes now; with the backlog (a query) when asked.</summary>
    Task<HealthReport> CheckAsync(bool includeBacklog, CancellationToken cancellationToken);

    /// <summary>The report without the backlog, refreshed at most once a second however many callers ask.</summary>
    Task<HealthReport> CachedAsync(CancellationToken cancellationToken);
}
