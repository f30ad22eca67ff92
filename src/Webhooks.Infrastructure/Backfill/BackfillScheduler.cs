using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Application.Backfill;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.Infrastructure.Backfill;

/// <summary>
/// Runs the backfills every Webhooks:Backfill:Every, once across instances, and at once when the database comes back
/// from an outage. Every second each instance tries to claim the schedule's next run in PostgreSQL (one UPDATE that
/// matches nothing until a run is due, so one instance wins each run); the run happens in this process. A claim that
/// fails means the database is away; the first claim that succeeds after that also claims a run — unless another
/// instance already ran one since this instance saw the outage begin — so what a provider sent during the outage (and
/// was answered 503) is recovered within seconds of the recovery, not at the next scheduled run.
/// Hangfire's recurring jobs are minute-granular and its delayed jobs are polled every few seconds (and its workers back
/// off after an outage), so neither could honour 5 s or react at once; an operator's "run now" is a Hangfire job
/// (<see cref="BackfillJob"/>). See docs/adr/0013-backfill.md.
/// </summary>
internal sealed partial class BackfillScheduler(
    PostgresBackfillStore store, IServiceScopeFactory scopes, MigrationState migrations, IOptions<BackfillOptions> options, TimeProvider clock,
    ILogger<BackfillScheduler> logger) : BackgroundService
{
    /// <summary>How often each instance tries to claim a run (and so notices the database coming back).</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        while (!migrations.Applied)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), stoppingToken);
        }

        DateTimeOffset? downSince = null;
        using var timer = new PeriodicTimer(Tick, clock);
        do
        {
            bool claimed;
            try
            {
                claimed = await store.ClaimRunAsync(clock.GetUtcNow(), options.Value.Every, downSince, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                if (downSince is null)
                {
                    downSince = clock.GetUtcNow();
                    LogDown(logger, ex.Message);
                }

                continue;
            }

            if (downSince is { } since)
            {
                LogBack(logger, clock.GetUtcNow() - since, claimed);
                downSince = null;
            }

            if (claimed)
            {
                await RunAsync(stoppingToken);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new RunBackfill(), stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // The database went away mid-run, most likely: the leases lapse, the next claim notices the outage.
            LogRunFailed(logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Backfill scheduler: the database is unreachable ({Reason}); a backfill runs as soon as it is back")]
    private static partial void LogDown(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backfill scheduler: the database is back after {Outage}; run claimed here: {Claimed}")]
    private static partial void LogBack(ILogger logger, TimeSpan outage, bool claimed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Backfill run failed: {Reason}")]
    private static partial void LogRunFailed(ILogger logger, string reason);
}
