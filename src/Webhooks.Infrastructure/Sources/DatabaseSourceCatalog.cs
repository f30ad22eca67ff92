using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Sources;
using Webhooks.Domain.Sources;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.Infrastructure.Sources;

/// <summary>
/// The sources every request looks up, held in memory as an immutable snapshot of the sources table. At start-up it
/// seeds the configured sources and loads the table (start-up fails if it cannot); then it checks the table's
/// version every <see cref="DatabaseOptions.SourceRefreshInterval"/>, so a change made on any instance is seen
/// everywhere within seconds, and reloads when a rotated-out secret expires. If the database is unreachable the last
/// snapshot stays in force.
/// </summary>
internal sealed partial class DatabaseSourceCatalog : BackgroundService, ISourceCatalog
{
    private readonly PostgresSourceStore store;
    private readonly IOptions<SourcesOptions> configured;
    private readonly IOptions<DatabaseOptions> database;
    private readonly MigrationState migrations;
    private readonly TimeProvider clock;
    private readonly ILogger<DatabaseSourceCatalog> logger;
    private readonly SemaphoreSlim reloading = new(1, 1);
    private volatile Snapshot snapshot = new(-1, new Dictionary<string, WebhookSource>(StringComparer.Ordinal), DateTimeOffset.MaxValue);

    public DatabaseSourceCatalog(
        PostgresSourceStore store, IOptions<SourcesOptions> configured, IOptions<DatabaseOptions> database, MigrationState migrations, TimeProvider clock,
        ILogger<DatabaseSourceCatalog> logger)
    {
        this.store = store;
        this.configured = configured;
        this.database = database;
        this.migrations = migrations;
        this.clock = clock;
        this.logger = logger;
    }

    public IReadOnlyCollection<WebhookSource> All => snapshot.Sources.Values;

    public WebhookSource? Find(string name) => snapshot.Sources.GetValueOrDefault(name);

    /// <summary>
    /// Seeds the configured sources and loads the catalog before the server starts, once the schema is current (this
    /// instance migrated it: the migration service starts first). An instance that does not migrate does it in the
    /// background as soon as the schema is current, and is not ready until then.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (migrations.SchemaCurrent)
        {
            await SeedAndLoadAsync(cancellationToken);
        }

        await base.StartAsync(cancellationToken);
    }

    private async Task SeedAndLoadAsync(CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + database.Value.StartupTimeout;
        while (true)
        {
            try
            {
                var seeded = await store.SeedAsync(configured.Value.Items, cancellationToken);
                await ReloadAsync(cancellationToken);
                LogLoaded(logger, snapshot.Sources.Count, seeded);
                migrations.MarkSourcesLoaded();
                return;
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException && clock.GetUtcNow() < deadline)
            {
                LogWaiting(logger, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!migrations.Applied)
        {
            while (!migrations.SchemaCurrent)
            {
                await Task.Delay(200, stoppingToken);
            }

            await SeedAndLoadAsync(stoppingToken);
        }

        using var timer = new PeriodicTimer(database.Value.SourceRefreshInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var current = snapshot;
                if (clock.GetUtcNow() >= current.NextExpiry || await store.VersionAsync(stoppingToken) != current.Version)
                {
                    await ReloadAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogRefreshFailed(logger, ex.Message);
            }
        }
    }

    /// <summary>Loads the whole table into a new snapshot; only the active secrets of each source are kept.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await reloading.WaitAsync(cancellationToken);
        try
        {
            var (version, rows) = await store.LoadDecryptedAsync(cancellationToken);
            var now = clock.GetUtcNow();
            var sources = new Dictionary<string, WebhookSource>(StringComparer.Ordinal);
            var nextExpiry = DateTimeOffset.MaxValue;
            foreach (var (source, secrets) in rows)
            {
                var active = new List<string>();
                foreach (var (secret, plain) in secrets)
                {
                    if (secret.ExpiresAt is { } expires && expires <= now)
                    {
                        continue;
                    }

                    if (secret.ExpiresAt is { } later && later < nextExpiry)
                    {
                        nextExpiry = later;
                    }

                    if (plain is null)
                    {
                        LogUndecryptable(logger, source.Name, secret.Id);
                        continue;
                    }

                    active.Add(plain);
                }

                if (!ProviderNames.TryParse(source.Settings.Provider, out _))
                {
                    LogUnusable(logger, source.Name);
                    continue;
                }

                sources[source.Name] = SourceDefinitions.ToSource(source.Name, source.Settings.Merge(new SourceSettings { Secrets = active }));
                if (active.Count == 0 && sources[source.Name].Provider != ProviderKind.PayPal)
                {
                    LogNoSecrets(logger, source.Name);
                }
            }

            snapshot = new Snapshot(version, sources, nextExpiry);
        }
        finally
        {
            reloading.Release();
        }
    }

    public override void Dispose()
    {
        reloading.Dispose();
        base.Dispose();
    }

    private sealed record Snapshot(long Version, Dictionary<string, WebhookSource> Sources, DateTimeOffset NextExpiry);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} sources ({Seeded} seeded from configuration)")]
    private static partial void LogLoaded(ILogger logger, int count, int seeded);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database not reachable yet for loading sources ({Reason}); retrying")]
    private static partial void LogWaiting(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh sources ({Reason}); keeping the last ones loaded")]
    private static partial void LogRefreshFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Secret {SecretId} of source {Source} cannot be decrypted: its Data Protection key is missing")]
    private static partial void LogUndecryptable(ILogger logger, string source, Guid secretId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Source {Source} names an unknown provider and is ignored")]
    private static partial void LogUnusable(ILogger logger, string source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Source {Source} has no active secret: every delivery to it will be refused")]
    private static partial void LogNoSecrets(ILogger logger, string source);
}
