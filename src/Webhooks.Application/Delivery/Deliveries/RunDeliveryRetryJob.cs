using System.Text.Json;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Webhooks.Application.Admin.DeadLetters;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Delivery.Deliveries;

/// <summary>Runs (or resumes) a bulk retry of deliveries: called by the durable job scheduler.</summary>
public sealed record RunDeliveryRetryJob(Guid JobId, int PageSize = 500) : IRequest<ReplayJobView>;

/// <summary>One page of a bulk retry, in one transaction with the job's progress; answers how many it queued again.</summary>
public sealed record RetryDeliveryPage(Guid JobId, DeliveryFilter Filter, DateTimeOffset QueuedAt, int PageSize) : IRequest<int>, ITransactionalCommand;

/// <summary>
/// Retries page after page, each page in one transaction with the job's progress. A retried delivery is pending, so it
/// never matches the filter again: a run cut short resumes where the last committed page ended. Only deliveries that
/// existed when the job was queued are retried; memory holds one page.
/// </summary>
internal sealed partial class RunDeliveryRetryJobHandler(
    IWebhooksDbContext db, IMediator mediator, TimeProvider clock, ILogger<RunDeliveryRetryJobHandler> logger)
    : IRequestHandler<RunDeliveryRetryJob, ReplayJobView>
{
    public async Task<ReplayJobView> Handle(RunDeliveryRetryJob command, CancellationToken cancellationToken)
    {
        var job = await db.ReplayJobs.FirstOrDefaultAsync(j => j.Id == command.JobId, cancellationToken) ?? throw new NotFoundException("Job", command.JobId);
        if (job.Status is Domain.Jobs.ReplayJobStatus.Completed or Domain.Jobs.ReplayJobStatus.Failed)
        {
            return ReplayJobView.From(job);
        }

        job.Start(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        var filter = JsonSerializer.Deserialize<DeliveryFilter>(job.Filter, DeliveryFilter.Json) ?? new DeliveryFilter();
        var queuedAt = job.CreatedAt;
        var jobId = job.Id;
        while (await mediator.Send(new RetryDeliveryPage(jobId, filter, queuedAt, command.PageSize), cancellationToken) > 0)
        {
            db.ClearChangeTracker();
        }

        var finished = await db.ReplayJobs.AsNoTracking().FirstAsync(j => j.Id == jobId, cancellationToken);
        LogFinished(logger, jobId, finished.Processed);
        return ReplayJobView.From(finished);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery retry job {JobId} finished: {Processed} deliveries queued again")]
    private static partial void LogFinished(ILogger logger, Guid jobId, long processed);
}

internal sealed class RetryDeliveryPageHandler(IWebhooksDbContext db, TimeProvider clock) : IRequestHandler<RetryDeliveryPage, int>
{
    public async Task<int> Handle(RetryDeliveryPage command, CancellationToken cancellationToken)
    {
        var job = await db.ReplayJobs.FirstAsync(j => j.Id == command.JobId, cancellationToken);
        var page = await command.Filter.ApplyTo(db.Deliveries.Where(d => d.CreatedAt <= command.QueuedAt), db.Subscriptions).OrderBy(d => d.Id).Take(command.PageSize).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var delivery in page)
        {
            delivery.Retry(now);
        }

        if (page.Count > 0)
        {
            job.Advance(page.Count, page[^1].CreatedAt, page[^1].Id);
        }
        else
        {
            job.Complete(now);
        }

        await db.SaveChangesAsync(cancellationToken);
        return page.Count;
    }
}
