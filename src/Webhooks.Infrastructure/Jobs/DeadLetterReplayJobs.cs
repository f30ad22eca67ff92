using Hangfire;
using MediatR;
using Webhooks.Application.Admin.DeadLetters;
using Webhooks.Application.Common.Abstractions;

namespace Webhooks.Infrastructure.Jobs;

/// <summary>
/// Dead-letter replays as Hangfire jobs. A bulk replay resumes where its last committed page ended (the progress is
/// on the replay_jobs row), so a run cut short — a crash, a kill, a requeue from Hangfire's Failed list — re-publishes
/// at most the page it was on. Failures are not retried automatically: they land in the Failed list.
/// </summary>
internal sealed class DeadLetterReplayJobs(IMediator mediator)
{
    [JobDisplayName("Bulk replay {0}")]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunBulkAsync(Guid replayJobId, CancellationToken cancellationToken) =>
        await mediator.Send(new RunReplayJob(replayJobId), cancellationToken);

    [JobDisplayName("Replay dead letter {0}")]
    public async Task ReplayOneAsync(Guid deadLetterId, CancellationToken cancellationToken) =>
        await mediator.Send(new ReplayDeadLetter(deadLetterId), cancellationToken);

    [JobDisplayName("Retry deliveries {0}")]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RetryDeliveriesAsync(Guid replayJobId, CancellationToken cancellationToken) =>
        await mediator.Send(new Application.Delivery.Deliveries.RunDeliveryRetryJob(replayJobId), cancellationToken);
}

internal sealed class HangfireReplayScheduler(IBackgroundJobClient jobs) : IReplayJobScheduler
{
    public Task<string> ScheduleAsync(Guid jobId, CancellationToken cancellationToken) =>
        Task.FromResult(jobs.Enqueue<DeadLetterReplayJobs>(job => job.RunBulkAsync(jobId, CancellationToken.None)));

    public Task<string> ScheduleReplayAsync(Guid deadLetterId, CancellationToken cancellationToken) =>
        Task.FromResult(jobs.Enqueue<DeadLetterReplayJobs>(job => job.ReplayOneAsync(deadLetterId, CancellationToken.None)));

    public Task<string> ScheduleDeliveryRetryAsync(Guid jobId, CancellationToken cancellationToken) =>
        Task.FromResult(jobs.Enqueue<DeadLetterReplayJobs>(job => job.RetryDeliveriesAsync(jobId, CancellationToken.None)));
}

/// <summary>Admin actions that put events back in the outbox wake the relay at once.</summary>
internal sealed class OutboxNotifier(Relay.OutboxSignal signal) : IOutboxNotifier
{
    public void Notify() => signal.Notify();
}
