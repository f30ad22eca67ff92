using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Admin.DeadLetters;

/// <summary>
/// Queues the replay of one dead letter as a background job — what every entry point does (the API, /admin, the
/// Hangfire page) — and answers the job's id. A letter that is no longer dead is refused at once (409).
/// </summary>
public sealed record QueueDeadLetterReplay(Guid Id) : IRequest<string>;

internal sealed class QueueDeadLetterReplayHandler(IWebhooksDbContext db, IReplayJobScheduler scheduler) : IRequestHandler<QueueDeadLetterReplay, string>
{
    public async Task<string> Handle(QueueDeadLetterReplay command, CancellationToken cancellationToken)
    {
        var letter = await db.DeadLetters.AsNoTracking().FirstOrDefaultAsync(d => d.Id == command.Id, cancellationToken)
            ?? throw new NotFoundException("Dead letter", command.Id);
        if (letter.Status != Domain.DeadLetters.DeadLetterStatus.Dead)
        {
            throw new ConflictException($"Dead letter {letter.Id} is {letter.Status.ToString().ToLowerInvariant()}, not dead: there is nothing to replay.");
        }

        return await scheduler.ScheduleReplayAsync(letter.Id, cancellationToken);
    }
}
