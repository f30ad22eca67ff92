using Microsoft.Extensions.Hosting;
using Npgsql;
using Webhooks.Infrastructure.Persistence;
using Webhooks.Infrastructure.Relay;

namespace Webhooks.Infrastructure.Observability;

/// <summary>Refreshes the backlog gauges every 5 s, so scrapes stay cheap however often they come.</summary>
internal sealed class BacklogSampler(OutboxStore store, NpgsqlDataSource dataSource, MigrationState migrations, WebhooksMetrics metrics, TimeProvider clock) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        do
        {
            if (!migrations.Applied)
            {
                continue;
            }

            try
            {
                var (count, oldest) = await store.BacklogAsync(stoppingToken);
                await using var dead = dataSource.CreateCommand("SELECT count(*) FROM dead_letters WHERE status = 'dead'");
                var deadLetters = (long)(await dead.ExecuteScalarAsync(stoppingToken))!;
                metrics.Backlog = new BacklogSnapshot(count, oldest is { } o ? Math.Max(0, (clock.GetUtcNow() - o).TotalSeconds) : 0, deadLetters);
            }
            catch (Exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The database is away: keep the last figures; health reports the outage.
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
