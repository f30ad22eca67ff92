using Npgsql;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Infrastructure.Messaging;
using Webhooks.Infrastructure.Persistence;
using Webhooks.Infrastructure.Relay;

namespace Webhooks.Infrastructure.Health;

public sealed record DependencyHealth(string Status, string? Detail = null);

public sealed record RelayHealth(string Status, long Backlog, double? OldestAgeSeconds, bool Paused, long Published, long DeadLettered);

public sealed record SourceHealth(string Name, string Provider, bool Enabled);

public sealed record HealthReport(string Status, DependencyHealth Database, DependencyHealth Broker, RelayHealth Relay, IReadOnlyList<SourceHealth> Sources)
{
    public bool Ready => Database.Status == "up" && Broker.Status == "up";
}

/// <summary>The state of each dependency, as /api/v1/health and readiness report it.</summary>
public sealed class HealthReporter
{
    private readonly NpgsqlDataSource dataSource;
    private readonly MigrationState migrations;
    private readonly BrokerProbe broker;
    private readonly EventsTopology topology;
    private readonly OutboxStore store;
    private readonly RelayState relay;
    private readonly ISourceCatalog sources;
    private readonly TimeProvider clock;

    internal HealthReporter(NpgsqlDataSource dataSource, MigrationState migrations, BrokerProbe broker, EventsTopology topology, OutboxStore store, RelayState relay, ISourceCatalog sources, TimeProvider clock)
    {
        this.dataSource = dataSource;
        this.migrations = migrations;
        this.broker = broker;
        this.topology = topology;
        this.store = store;
        this.relay = relay;
        this.sources = sources;
        this.clock = clock;
    }

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
        return new HealthReport(status, database, brokerHealth, relayHealth, sourceList);
    }

    private async Task<DependencyHealth> CheckDatabaseAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return migrations.Applied ? new DependencyHealth("up") : new DependencyHealth("down", "migrations not applied yet");
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            return new DependencyHealth("down", ex is OperationCanceledException ? "no answer within 2 s" : ex.Message);
        }
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
