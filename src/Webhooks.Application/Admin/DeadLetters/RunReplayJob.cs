using System.Text.Json;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Domain.DeadLetters;

namespace Webhooks.Application.Admin.DeadLetters;

/// <summary>Runs (or resumes) a bulk replay: called by the durable job scheduler.</summary>
public sealed record RunReplayJob(Guid JobId, int PageSize = 500) : IRequest<ReplayJobView>;

/// <summary>One page of a bulk replay, in one transaction with the job's progress; answers how many it replayed.</summary>
public sealed record ReplayDeadLetterPage(Guid JobId, DeadLetterFilter Filter, DateTimeOffset QueuedAt, int PageSize) : IRequest<int>, ITransactionalCommand;

/// <summary>
/// Replays page after page, each page in one transaction together with the job's progress. A replayed letter is no
/// longer "dead", so it never matches again: after a crash the next run continues where the last committed page
/// ended, and nothing is replayed twice. Only letters that existed when the job was queued are replayed. Memory
/// holds one page.
/// </summary>
internal sealed partial class RunReplayJobHandler(
    IWebhooksDbContext db,
    IMediator mediator,
    TimeProvider clock,
    ILogger<RunReplayJobHandler> logger) : IRequestHandler<RunReplayJob, ReplayJobView>
{
    public async Task<ReplayJobView> Handle(RunReplayJob command, CancellationToken cancellationToken)
    {
        var job = await db.ReplayJobs.FirstOrDefaultAsync(j => j.Id == command.JobId, cancellationToken) ?? throw new NotFoundException("Job", command.JobId);
        if (job.Status is Domain.Jobs.ReplayJobStatus.Completed or Domain.Jobs.ReplayJobStatus.Failed)
        {
            return ReplayJobView.From(job);
        }

        job.Start(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        var filter = JsonSerializer.Deserialize<DeadLetterFilter>(job.Filter, DeadLetterFilter.Json) ?? new DeadLetterFilter();
        var queuedAt = job.CreatedAt;
        var jobId = job.Id;

        try
        {
            while (await mediator.Send(new ReplayDeadLetterPage(jobId, filter, queuedAt, command.PageSize), cancellationToken) > 0)
            {
                db.ClearChangeTracker();
            }
        }
        catch (Exception ex) when (ex is ConflictException)
        {
            db.ClearChangeTracker();
            var failed = await db.ReplayJobs.FirstAsync(j => j.Id == jobId, cancellationToken);
            failed.Fail(ex.Message, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            LogFailed(logger, jobId, ex.Message);
        }

        var finished = await db.ReplayJobs.AsNoTracking().FirstAsync(j => j.Id == jobId, cancellationToken);
        LogFinished(logger, jobId, finished.Processed, finished.Status.ToString());
        return ReplayJobView.From(finished);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Replay job {JobId} finished: {Processed} dead letters replayed ({Status})")]
    private static partial void LogFinished(ILogger logger, Guid jobId, long processed, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replay job {JobId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Guid jobId, string reason);
}

internal sealed class ReplayDeadLetterPageHandler(IWebhooksDbContext db, DeadLetterRequeue requeue, TimeProvider clock) : IRequestHandler<ReplayDeadLetterPage, int>
{
    public async Task<int> Handle(ReplayDeadLetterPage command, CancellationToken cancellationToken)
    {
        var job = await db.ReplayJobs.FirstAsync(j => j.Id == command.JobId, cancellationToken);
        var page = await command.Filter.ApplyTo(db.DeadLetters.Where(d => d.Status == DeadLetterStatus.Dead && d.CreatedAt <= command.QueuedAt))
            .OrderBy(d => d.Id)
            .Take(command.PageSize)
            .ToListAsync(cancellationToken);
        if (page.Count > 0)
        {
            await requeue.Requeue(page, clock.GetUtcNow(), cancellationToken);
            job.Advance(page.Count, page[^1].CreatedAt, page[^1].Id);
        }
        else
        {
            job.Complete(clock.GetUtcNow());
        }

        await db.SaveChangesAsync(cancellationToken);
        return page.Count;
    }
}
