using System.Text.Json;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Domain.DeadLetters;
using Webhooks.Domain.Jobs;

namespace Webhooks.Application.Admin.DeadLetters;

/// <summary>Queues a durable bulk replay of the dead letters the filter selects; answers the job.</summary>
public sealed record StartBulkReplay(DeadLetterFilter Filter) : IRequest<ReplayJobView>;

internal sealed class StartBulkReplayHandler(IWebhooksDbContext db, IReplayJobScheduler scheduler, TimeProvider clock) : IRequestHandler<StartBulkReplay, ReplayJobView>
{
    public async Task<ReplayJobView> Handle(StartBulkReplay command, CancellationToken cancellationToken)
    {
        var total = await command.Filter.ApplyTo(db.DeadLetters.Where(d => d.Status == DeadLetterStatus.Dead)).LongCountAsync(cancellationToken);
        var job = ReplayJob.Queue(JsonSerializer.Serialize(command.Filter, DeadLetterFilter.Json), total, clock.GetUtcNow());
        db.ReplayJobs.Add(job);
        await db.SaveChangesAsync(cancellationToken);
        await scheduler.ScheduleAsync(job.Id, cancellationToken);
        return ReplayJobView.From(job);
    }
}
