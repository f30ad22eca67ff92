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

/// <summary>
/// Replays page after page, each page in one transaction together with the job's progress. A replayed letter is no
/// longer "dead", so it never matches again: after a crash the next run continues where the last committed page
/// ended, and nothing is replayed twice. Only letters that existed when the job was queued are replayed. Memory
/// holds one page.
/// </summary>
internal sealed partial class RunReplayJobHandler(
    IWebhooksDbContext db,
    ITransactionRunner transactions,
    DeadLetterRequeue requeue,
    IOutboxNotifier relay,
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
            while (true)
            {
                var replayed = await transactions.RunAsync(async () =>
                {
                    var current = await db.ReplayJobs.FirstAsync(j => j.Id == jobId, cancellationToken);
                    var page = await filter.ApplyTo(db.DeadLetters.Where(d => d.Status == DeadLetterStatus.Dead && d.CreatedAt <= queuedAt))
                        .OrderBy(d => d.Id)
                        .Take(command.PageSize)
                        .ToListAsync(cancellationToken);
                    if (page.Count > 0)
                    {
                        await requeue.Requeue(page, clock.GetUtcNow(), cancellationToken);
                        current.Advance(page.Count, page[^1].CreatedAt, page[^1].Id);
                    }
                    else
                    {
                        current.Complete(clock.GetUtcNow());
                    }

                    await db.SaveChangesAsync(cancellationToken);
                    return page.Count;
                }, cancellationToken);

                db.ClearChangeTracker();
                if (replayed == 0)
                {
                    break;
                }

                relay.Notify();
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
