using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Ingestion;
using Webhooks.Application.Providers;

namespace Webhooks.Application.Admin.Inbox;

/// <summary>
/// Maps a stored webhook again with today's mapping and publishes its events again: an event of a type published for
/// it before keeps that event's id (consumers de-duplicate on it; its outbox row is queued again), a type today's
/// mapping adds gets a new one.
/// </summary>
public sealed record ReplayInboxMessage(Guid Id) : IRequest<InboxDetail>, ITransactionalCommand;

internal sealed class ReplayInboxMessageHandler(IWebhooksDbContext db, ISourceCatalog sources, ProviderRegistry providers, IOutbox outbox, TimeProvider clock)
    : IRequestHandler<ReplayInboxMessage, InboxDetail>
{
    public async Task<InboxDetail> Handle(ReplayInboxMessage command, CancellationToken cancellationToken)
    {
        var message = await db.Inbox.FirstOrDefaultAsync(m => m.Id == command.Id, cancellationToken) ?? throw new NotFoundException("Inbox message", command.Id);
        var source = sources.Find(message.Source) ?? throw new ConflictException($"Source '{message.Source}' no longer exists; the webhook cannot be mapped again.");
        var request = new WebhookRequest(
            message.Source, message.Topic, message.Body, message.ContentType,
            new Dictionary<string, string>(message.Headers, StringComparer.OrdinalIgnoreCase),
            "https", "replay", "/", message.ClientAddress, message.CorrelationId, null);
        var meaning = providers.Get(source.Provider).Interpret(request, source);
        var earlier = (await db.Outbox.Where(o => o.InboxId == message.Id).ToListAsync(cancellationToken))
            .GroupBy(o => o.EventType, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.OrderBy(o => o.CreatedAt).First(), StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        foreach (var @event in OutboxEvents.For(
            message, meaning, null, now, earlier.ToDictionary(e => e.Key, e => e.Value.Id, StringComparer.Ordinal), OutboxEvents.IsBackfilled(message)))
        {
            if (earlier.TryGetValue(@event.EventType, out var published))
            {
                published.Republish(@event.Envelope, @event.PayloadAt, now);
            }
            else
            {
                outbox.Add(@event);
            }
        }

        message.MarkReplayed();
        await db.SaveChangesAsync(cancellationToken);
        return await InboxDetails.Build(db, message, cancellationToken);
    }
}
