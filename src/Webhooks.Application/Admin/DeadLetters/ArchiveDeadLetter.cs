using MediatR;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Admin.DeadLetters;

public sealed record ArchiveDeadLetter(Guid Id) : IRequest<DeadLetterSummary>, ITransactionalCommand;

internal sealed class ArchiveDeadLetterHandler(IWebhooksDbContext db, DeadLetterRequeue requeue, TimeProvider clock)
    : IRequestHandler<ArchiveDeadLetter, DeadLetterSummary>
{
    public async Task<DeadLetterSummary> Handle(ArchiveDeadLetter command, CancellationToken cancellationToken)
    {
        var letter = await requeue.FindLocked(command.Id, cancellationToken);
        Transitions.Apply(() => letter.Archive(clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return DeadLetterSummary.From(letter);
    }
}
