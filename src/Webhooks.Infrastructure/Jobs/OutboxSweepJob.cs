using Microsoft.Extensions.Logging;
using Quartz;
using Webhooks.Infrastructure.Relay;

namespace Webhooks.Infrastructure.Jobs;

/// <summary>
/// The relay's backstop (every 30 s, once across the cluster): frees claims whose instance died mid-batch and wakes
/// the relay, so nothing waits on a lost signal.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class OutboxSweepJob(OutboxStore store, OutboxSignal signal, TimeProvider clock, ILogger<OutboxSweepJob> logger) : IJob
{
    public static readonly JobKey Key = new("outbox-sweep", "relay");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var released = await store.ReleaseExpiredClaimsAsync(clock.GetUtcNow(), cancellationToken);
        if (released > 0)
        {
            LogReleased(logger, released);
        }

        signal.Notify();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Released {Count} outbox claims whose lease expired")]
    private static partial void LogReleased(ILogger logger, int count);
}
