using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>
/// Applies migrations before anything else starts (it is the first hosted service), retrying an unreachable
/// database until Webhooks:Database:StartupTimeout, then failing start-up with the reason. With MigrateOnStartup off
/// (a pipeline runs <c>migrate</c> first), it watches in the background until the schema is up to date: readiness,
/// the relay and the workers wait for that, as they would for their own migration.
/// </summary>
internal sealed partial class DatabaseMigrationService(
    DatabaseMigrator migrator, IOptions<DatabaseOptions> options, IHostApplicationLifetime lifetime, ILogger<DatabaseMigrationService> logger) : IHostedService
{
    private Task? watching;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.MigrateOnStartup)
        {
            watching = WatchAsync(lifetime.ApplicationStopping);
            return;
        }

        var deadline = DateTimeOffset.UtcNow + options.Value.StartupTimeout;
        while (true)
        {
            try
            {
                await migrator.MigrateAsync(cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException && DateTimeOffset.UtcNow < deadline)
            {
                LogWaiting(logger, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    /// <summary>The watch, if any, ends with ApplicationStopping, which fires before the hosted services stop.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => watching?.WaitAsync(cancellationToken) ?? Task.CompletedTask;

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        var said = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (await migrator.CheckAppliedAsync(cancellationToken))
                {
                    return;
                }

                if (!said)
                {
                    LogNotMigrated(logger);
                    said = true;
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogWaiting(logger, ex.Message);
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database schema is not up to date and Webhooks:Database:MigrateOnStartup is off: waiting for a migration (dotnet Webhooks.Api.dll migrate)")]
    private static partial void LogNotMigrated(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database not reachable yet for migrations ({Reason}); retrying")]
    private static partial void LogWaiting(ILogger logger, string reason);
}
