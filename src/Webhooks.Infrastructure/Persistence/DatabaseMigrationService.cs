using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>
/// Applies migrations before anything else starts (it is the first hosted service), retrying an unreachable
/// database until Webhooks:Database:StartupTimeout, then failing start-up with the reason.
/// </summary>
internal sealed partial class DatabaseMigrationService(DatabaseMigrator migrator, IOptions<DatabaseOptions> options, ILogger<DatabaseMigrationService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.MigrateOnStartup)
        {
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

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database not reachable yet for migrations ({Reason}); retrying")]
    private static partial void LogWaiting(ILogger logger, string reason);
}
