using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Common.Paging;
using Webhooks.Application.Tenants;

namespace Webhooks.Application.Delivery.Subscriptions;

/// <summary>A subscription's attempts and test sends, newest first.</summary>
public sealed record GetSubscriptionLogs(Guid Id, int? Limit, string? Cursor, string? Application = null) : IRequest<Page<AttemptLog>>, IApplicationScoped;

internal sealed class GetSubscriptionLogsHandler(IWebhooksDbContext db, ApplicationScope scope) : IRequestHandler<GetSubscriptionLogs, Page<AttemptLog>>
{
    public async Task<Page<AttemptLog>> Handle(GetSubscriptionLogs query, CancellationToken cancellationToken)
    {
        if (!await db.Subscriptions.AnyAsync(s => s.Id == query.Id && (scope.Id == null || s.ApplicationId == scope.Id), cancellationToken))
        {
            throw new NotFoundException("Subscription", query.Id);
        }

        var limit = Cursor.Limit(query.Limit);
        var rows = await db.DeliveryAttemptsBefore(query.Id, Cursor.Decode(query.Cursor)).AsNoTracking()
            .OrderByDescending(a => a.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var lines = rows.Take(limit).ToList();
        var payloads = await DeliveryPayloads.ForAsync(db, lines, cancellationToken);
        var page = lines
            .Select(a => new AttemptLog(a.Id, a.Event, a.Attempt, a.StatusCode, a.ResponseTimeMs, a.ResponseBody, a.Error, a.CreatedAt, a.DeliveryId) { Payload = payloads.GetValueOrDefault(a.Id) })
            .ToList();
        return new Page<AttemptLog>(page, rows.Count > limit ? Cursor.Encode(page[^1].Id) : null);
    }
}
