using MediatR;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Backfill;

/// <summary>
/// An operator's "run now": queues one run of the source's backfill as a background job and answers the job's id
/// (404 when the source has no backfill, 409 when it is disabled).
/// </summary>
public sealed record QueueBackfillRun(string Source) : IRequest<BackfillRunQueued>;

/// <summary>The run, queued: its job in the job dashboard (/hangfire/jobs/details/{job_id}).</summary>
public sealed record BackfillRunQueued(string Source, string JobId);

internal sealed class QueueBackfillRunHandler(IBackfillStore store, IBackfillJobScheduler jobs) : IRequestHandler<QueueBackfillRun, BackfillRunQueued>
{
    public async Task<BackfillRunQueued> Handle(QueueBackfillRun command, CancellationToken cancellationToken)
    {
        var sources = await store.SourcesAsync(command.Source, cancellationToken);
        var source = sources.Count > 0 ? sources[0] : throw new NotFoundException("Backfill of source", command.Source);
        if (!source.Enabled)
        {
            throw new ConflictException($"Source '{source.Name}' is disabled; enable it to run its backfill.");
        }

        return new BackfillRunQueued(source.Name, await jobs.ScheduleAsync(source.Name, cancellationToken));
    }
}
