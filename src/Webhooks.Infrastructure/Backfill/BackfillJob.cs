using Hangfire;
using MediatR;
using Webhooks.Application.Backfill;

namespace Webhooks.Infrastructure.Backfill;

/// <summary>
/// An operator's "run now" as a Hangfire job, so it shows in the job dashboard with its state and history. It runs the
/// source's backfill like a scheduled run (under the source's lease: a run already going elsewhere is not doubled).
/// </summary>
internal sealed class BackfillJob(IMediator mediator)
{
    [JobDisplayName("Backfill {0}")]
    public async Task RunAsync(string source, CancellationToken cancellationToken) =>
        await mediator.Send(new RunBackfill(source), cancellationToken);
}

internal sealed class HangfireBackfillScheduler(IBackgroundJobClient jobs) : IBackfillJobScheduler
{
    public Task<string> ScheduleAsync(string source, CancellationToken cancellationToken) =>
        Task.FromResult(jobs.Enqueue<BackfillJob>(job => job.RunAsync(source, CancellationToken.None)));
}
