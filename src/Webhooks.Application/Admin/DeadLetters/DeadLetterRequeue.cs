using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Domain.DeadLetters;

namespace Webhooks.Application.Admin.DeadLetters;

/// <summary>What replaying one dead letter and replaying many in a job share.</summary>
internal sealed class DeadLetterRequeue(IWebhooksDbContext db)
{
    /// <summary>Back to the outbox with the same id; the dead letter records when it was replayed.</summary>
    public async Task Requeue(IReadOnlyList<DeadLetter> letters, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = letters.Select(l => l.EventId).ToList();
        var events = await db.Outbox.Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, cancellationToken);
        foreach (var letter in letters)
        {
            Transitions.Apply(() => letter.MarkReplayed(now));
            if (!events.TryGetValue(letter.EventId, out var outbox))
            {
                throw new ConflictException($"The event {letter.EventId} of dead letter {letter.Id} is no longer in the outbox (retention).");
            }

            outbox.Requeue(now);
        }
    }

    /// <summary>The letter, locked for this transaction: two replays of it at once put its event back once.</summary>
    public async Task<DeadLetter> FindLocked(Guid id, CancellationToken cancellationToken) =>
        await db.DeadLetterLocked(id).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("Dead letter", id);
}
