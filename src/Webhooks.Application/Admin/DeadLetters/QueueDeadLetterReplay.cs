using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Admin.DeadLetters;

/// <summary>Queues the replay of one dead letter as a background job; answers the job's id.</summary>
public sealed record QueueDeadLetterReplay(Guid Id) : IRequest<string>;

internal sealed class QueueDeadLetterReplayHandler(IWebhooksDbContext db, IReplayJobScheduler scheduler) : IRequestHandler<QueueDeadLetterReplay, string>
{
    public async Task<string> Handle(QueueDeadLetterReplay command, CancellationToken cancellationToken)
    {
        var letter = await db.DeadLetters.AsNoTracking().FirstOrDefaultAsync(d => d.Id == command.Id, cancellationToken)
            ?? throw new NotFoundException("Dead letter", command.Id);
        return await scheduler.ScheduleReplayAsync(letter.Id, cancellationToken);
    }
}
