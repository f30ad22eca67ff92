using Microsoft.Extensions.Logging;
using Hangfire;
using Webhooks.Infrastructure.Relay;

namespace Webhooks.Infrastructure.Jobs;

/// <summary>
/// The relay's backstop (every minute, once across the instances): frees claims whose instance died mid-batch and wakes
/// the relay, so nothing waits on a lost signal.
/// </summary>
[DisableConcurrentExecution(timeoutInSeconds: 300)]
internal sealed partial class OutboxSweepJob(OutboxStore store, OutboxSignal signal, TimeProvider clock, ILogger<OutboxSweepJob> logger)
{
    public const string Id = "outbox-sweep";

    public async Task RunAsync(CancellationToken cancellationToken)
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
