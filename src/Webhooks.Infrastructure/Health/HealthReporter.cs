using HealthCheckService = Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService;
using HealthStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Health;
using Webhooks.Infrastructure.Messaging;
using Webhooks.Infrastructure.Persistence;
using Webhooks.Infrastructure.Relay;

namespace Webhooks.Infrastructure.Health;

/// <summary>
/// The state of each dependency, as /api/v1/health and readiness report it: the registered ASP.NET Core health checks
/// (database, broker) in the shape the contract gives, with the relay and sources beside them.
/// </summary>
public sealed class HealthReporter : IHealthReporter, IDisposable
{
    public const string DatabaseCheck = "database";
    private readonly HealthCheckService checks;
    private readonly MigrationState migrations;
    private readonly BrokerProbe broker;
    private readonly EventsTopology topology;
    private readonly OutboxStore store;
    private readonly RelayState relay;
    private readonly ISourceCatalog sources;
    private readonly Sources.KeyRingState keyRing;
    private readonly TimeProvider clock;

    internal HealthReporter(
        HealthCheckService checks, MigrationState migrations, BrokerProbe broker, EventsTopology topology, OutboxStore store, RelayState relay, ISourceCatalog sources,
        Sources.KeyRingState keyRing, TimeProvider clock)
    {
        this.keyRing = keyRing;
        this.checks = checks;
        this.migrations = migrations;
        this.broker = broker;
        this.topology = topology;
        this.store = store;
        this.relay = relay;
        this.sources = sources;
        this.clock = clock;
    }

    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim refreshing = new(1, 1);
    private (HealthReport Report, long At)? cached;

    /// <summary>
    /// The report without the backlog query, computed at most once a second however many callers ask: what anonymous
    /// health and readiness serve, so a flood of probes costs one database round trip a second, not one each.
    /// </summary>
    public async Task<HealthReport> CachedAsync(CancellationToken cancellationToken)
    {
        if (cached is { } fresh && clock.GetElapsedTime(fresh.At) < CacheFor)
        {
            return fresh.Report;
        }

        await refreshing.WaitAsync(cancellationToken);
        try
        {
            if (cached is { } again && clock.GetElapsedTime(again.At) < CacheFor)
            {
                return again.Report;
            }

            var report = await CheckAsync(includeBacklog: false, cancellationToken);
            cached = (report, clock.GetTimestamp());
            return report;
        }
        finally
        {
            refreshing.Release();
        }
    }

    private long databaseChecks;

    /// <summary>How many times the database has been probed (what a flood of anonymous checks may cost).</summary>
    internal long DatabaseChecks => Interlocked.Read(ref databaseChecks);

    public void Dispose() => refreshing.Dispose();

    public async Task<HealthReport> CheckAsync(bool includeBacklog, CancellationToken cancellationToken)
    {
        var database = await CheckDatabaseAsync(cancellationToken);
        var brokerHealth = await CheckBrokerAsync(cancellationToken);
        var relayHealth = new RelayHealth(relay.Paused ? "paused" : relay.BrokerReachable ? "running" : "waiting_for_broker", 0, null, relay.Paused, relay.Published, relay.DeadLettered);
        if (includeBacklog && database.Status == "up")
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            var (count, oldest) = await store.BacklogAsync(timeout.Token);
            relayHealth = relayHealth with { Backlog = count, OldestAgeSeconds = oldest is { } o ? Math.Max(0, (clock.GetUtcNow() - o).TotalSeconds) : null };
        }

        var sourceList = sources.All.OrderBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => new SourceHealth(s.Name, Webhooks.Domain.Sources.ProviderNames.ToName(s.Provider), s.Enabled)).ToList();
        var status = database.Status == "up" && brokerHealth.Status == "up" ? "healthy" : "unhealthy";
        return new HealthReport(status, database, brokerHealth, relayHealth, sourceList, keyRing.Status);
    }

    private async Task<DependencyHealth> CheckDatabaseAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref databaseChecks);
        var entry = (await checks.CheckHealthAsync(check => check.Name == DatabaseCheck, cancellationToken)).Entries[DatabaseCheck];
        if (entry.Status != HealthStatus.Healthy)
        {
            return new DependencyHealth("down", entry.Exception is null or OperationCanceledException or TimeoutException
                ? "no answer within 2 s"
                : entry.Exception.Message);
        }

        return migrations.Applied ? new DependencyHealth("up") : new DependencyHealth("down", "migrations not applied yet");
    }

    private async Task<DependencyHealth> CheckBrokerAsync(CancellationToken cancellationToken)
    {
        var (reachable, reason) = await broker.CheckAsync(cancellationToken);
        if (!reachable)
        {
            return new DependencyHealth("down", reason);
        }

        return topology.Declared ? new DependencyHealth("up") : new DependencyHealth("down", "exchange not declared yet");
    }
}
