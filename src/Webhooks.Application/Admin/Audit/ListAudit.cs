using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Paging;
using Webhooks.Domain.Audit;

namespace Webhooks.Application.Admin.Audit;

/// <summary>The audit log, newest first, optionally for one key (actor).</summary>
public sealed record ListAudit(string? Actor, string? Cursor, int? Limit) : IRequest<Page<AuditRecord>>;

public sealed record AuditRecord(Guid Id, DateTimeOffset At, string Actor, string Role, string Action, string? Target, int StatusCode, string? ClientAddress)
{
    public static AuditRecord From(AuditEntry e) => new(e.Id, e.At, e.Actor, e.Role, e.Action, e.Target, e.StatusCode, e.ClientAddress);
}

internal sealed class ListAuditHandler(IWebhooksDbContext db) : IRequestHandler<ListAudit, Page<AuditRecord>>
{
    public async Task<Page<AuditRecord>> Handle(ListAudit query, CancellationToken cancellationToken)
    {
        var limit = Cursor.Limit(query.Limit);
        var rows = db.AuditLog.AsNoTracking();
        if (Cursor.Decode(query.Cursor) is { } before)
        {
            rows = rows.Where(e => e.Id.CompareTo(before) < 0);
        }

        if (!string.IsNullOrEmpty(query.Actor))
        {
            rows = rows.Where(e => e.Actor == query.Actor);
        }

        var page = await rows.OrderByDescending(e => e.Id).Take(limit + 1).ToListAsync(cancellationToken);
        return Cursor.ToPage(page, limit, e => e.Id, AuditRecord.From);
    }
}
