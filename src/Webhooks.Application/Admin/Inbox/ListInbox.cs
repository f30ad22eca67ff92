using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Paging;
using Webhooks.Domain.Inbox;

namespace Webhooks.Application.Admin.Inbox;

public sealed record ListInbox(string? Source, string? Status, string? Topic, DateTimeOffset? From, DateTimeOffset? To, string? Cursor, int? Limit) : IRequest<Page<InboxSummary>>;

internal sealed class ListInboxHandler(IWebhooksDbContext db) : IRequestHandler<ListInbox, Page<InboxSummary>>
{
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
}
