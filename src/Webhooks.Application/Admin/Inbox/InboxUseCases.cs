using System.Text;
using System.Text.Json;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Common.Paging;
using Webhooks.Application.Ingestion;
using Webhooks.Application.Providers;
using Webhooks.Domain.Inbox;

namespace Webhooks.Application.Admin.Inbox;

public sealed record ListInbox(string? Source, string? Status, string? Topic, DateTimeOffset? From, DateTimeOffset? To, string? Cursor, int? Limit) : IRequest<Page<InboxSummary>>;

public sealed record GetInboxMessage(Guid Id) : IRequest<InboxDetail>;

/// <summary>Maps a stored webhook again with today's mapping and publishes fresh events (new ids, same inboxid).</summary>
public sealed record ReplayInboxMessage(Guid Id) : IRequest<InboxDetail>, ITransactionalCommand;

public sealed record InboxSummary(Guid Id, string Source, string Provider, string? Topic, string IdempotencyKey, string Status, DateTimeOffset ReceivedAt, string CorrelationId)
{
    public static InboxSummary From(InboxMessage m) =>
        new(m.Id, m.Source, m.Provider, m.Topic, m.IdempotencyKey, m.Status.ToString().ToLowerInvariant(), m.ReceivedAt, m.CorrelationId);
}

public sealed record InboxEvent(Guid Id, string Type, string Status, int Attempts, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? PublishedAt);

public sealed record InboxDetail(
    Guid Id, string Source, string Provider, string? Topic, string IdempotencyKey, string Status, DateTimeOffset ReceivedAt,
    string CorrelationId, string? ClientAddress, string? ContentType, IReadOnlyDictionary<string, string> Headers,
    string Body, string BodyEncoding, int BodyBytes, IReadOnlyList<InboxEvent> Events);

internal sealed class InboxHandlers(IWebhooksDbContext db, ISourceCatalog sources, ProviderRegistry providers, IOutboxNotifier relay, TimeProvider clock) :
    IRequestHandler<ListInbox, Page<InboxSummary>>,
    IRequestHandler<GetInboxMessage, InboxDetail>,
    IRequestHandler<ReplayInboxMessage, InboxDetail>
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, MaxDepth = DeadLetters.StoredJson.MaxDepth };

    public async Task<Page<InboxSummary>> Handle(ListInbox query, CancellationToken cancellationToken)
    {
        var limit = Cursor.Limit(query.Limit);
        var rows = db.InboxBefore(
            Cursor.Decode(query.Cursor),
            query.From is { } start ? Cursor.TimeBound(start) : null,
            query.To is { } end ? Cursor.TimeBoundAfter(end) : null).AsNoTracking();
        if (!string.IsNullOrEmpty(query.Source))
        {
            rows = rows.Where(m => m.Source == query.Source);
        }

        if (!string.IsNullOrEmpty(query.Status))
        {
            var status = Cursor.ParseStatus<InboxStatus>(query.Status, "processed or replayed");
            rows = rows.Where(m => m.Status == status);
        }

        if (!string.IsNullOrEmpty(query.Topic))
        {
            rows = rows.Where(m => m.Topic == query.Topic);
        }

        if (query.From is { } from)
        {
            rows = rows.Where(m => m.ReceivedAt >= from);
        }

        if (query.To is { } to)
        {
            rows = rows.Where(m => m.ReceivedAt < to);
        }

        var page = await rows.OrderByDescending(m => m.Id).Take(limit + 1).ToListAsync(cancellationToken);
        return Cursor.ToPage(page, limit, m => m.Id, InboxSummary.From);
    }

    public async Task<InboxDetail> Handle(GetInboxMessage query, CancellationToken cancellationToken) =>
        await Detail(await db.Inbox.AsNoTracking().FirstOrDefaultAsync(m => m.Id == query.Id, cancellationToken)
            ?? throw new NotFoundException("Inbox message", query.Id), cancellationToken);

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
        return await Detail(message, cancellationToken);
    }

    private async Task<InboxDetail> Detail(InboxMessage m, CancellationToken cancellationToken)
    {
        var events = await db.Outbox.AsNoTracking().Where(o => o.InboxId == m.Id).OrderBy(o => o.Id)
            .Select(o => new InboxEvent(o.Id, o.EventType, o.Status.ToString().ToLower(), o.Attempts, o.LastError, o.CreatedAt, o.PublishedAt))
            .ToListAsync(cancellationToken);
        var (body, encoding) = Render(m.Body);
        return new InboxDetail(m.Id, m.Source, m.Provider, m.Topic, m.IdempotencyKey, m.Status.ToString().ToLowerInvariant(), m.ReceivedAt,
            m.CorrelationId, m.ClientAddress, m.ContentType, m.Headers, body, encoding, m.Body.Length, events);
    }

    /// <summary>JSON pretty-printed, other UTF-8 text as is, anything else base64.</summary>
    internal static (string Body, string Encoding) Render(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = DeadLetters.StoredJson.MaxDepth });
            return (JsonSerializer.Serialize(json.RootElement, Pretty), "json");
        }
        catch (JsonException)
        {
            try
            {
                return (new UTF8Encoding(false, true).GetString(body), "text");
            }
            catch (DecoderFallbackException)
            {
                return (Convert.ToBase64String(body), "base64");
            }
        }
    }
}
