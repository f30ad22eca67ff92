using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Ingestion;
using Webhooks.Application.Providers;

namespace Webhooks.Application.Admin.Inbox;

/// <summary>Maps a stored webhook again with today's mapping and publishes fresh events (new ids, same inboxid).</summary>
public sealed record ReplayInboxMessage(Guid Id) : IRequest<InboxDetail>, ITransactionalCommand;

internal sealed class ReplayInboxMessageHandler(IWebhooksDbContext db, ISourceCatalog sources, ProviderRegistry providers, IOutboxNotifier relay, TimeProvider clock)
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
        foreach (var outbox in OutboxEvents.For(message, meaning, null, clock.GetUtcNow()))
        {
            db.Outbox.Add(outbox);
        }

        message.MarkReplayed();
        await db.SaveChangesAsync(cancellationToken);
        relay.Notify();
        return await InboxDetails.Build(db, message, cancellationToken);
    }
}
