using MediatR;
using Webhooks.Application.Common.Abstractions;

namespace Webhooks.Application.Admin.DeadLetters;

/// <summary>Puts the event back in the outbox with its id (consumers de-duplicate on it) and fresh attempts.</summary>
public sealed record ReplayDeadLetter(Guid Id) : IRequest<DeadLetterSummary>, ITransactionalCommand;

internal sealed class ReplayDeadLetterHandler(IWebhooksDbContext db, DeadLetterRequeue requeue, TimeProvider clock)
    : IRequestHandler<ReplayDeadLetter, DeadLetterSummary>
{
    public async Task<DeadLetterSummary> Handle(ReplayDeadLetter command, CancellationToken cancellationToken)
    {
        var letter = await requeue.FindLocked(command.Id, cancellationToken);
        await requeue.Requeue([letter], clock.GetUtcNow(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return DeadLetterSummary.From(letter);
    }
}
