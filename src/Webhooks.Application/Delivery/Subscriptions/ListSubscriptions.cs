using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Paging;
using Webhooks.Application.Tenants;

namespace Webhooks.Application.Delivery.Subscriptions;

public sealed record ListSubscriptions(int? Limit, int? Offset, string? Cursor, bool? IsActive, string? Application = null) : IRequest<SubscriptionPage>, IApplicationScoped;

internal sealed class ListSubscriptionsHandler(IWebhooksDbContext db, ISubscriptionProtector protector, ApplicationScope scope) : IRequestHandler<ListSubscriptions, SubscriptionPage>
{
    public async Task<SubscriptionPage> Handle(ListSubscriptions query, CancellationToken cancellationToken)
    {
        var limit = query.Limit ?? 50;
        if (limit is < 1 or > 100 || query.Offset is < 0)
        {
            throw new ValidationException("limit must be between 1 and 100 and offset not negative.");
        }

        // The keyset cursor (the last id of the previous page) wins over the offset.
        var after = Cursor.Decode(query.Cursor);
        var rows = db.SubscriptionsAfter(after).AsNoTracking();
        if (scope.Id is { } application)
        {
            rows = rows.Where(s => s.ApplicationId == application);
        }

        if (query.IsActive is { } active)
        {
            rows = rows.Where(s => s.IsActive == active);
        }

        var found = await rows.OrderBy(s => s.Id).Skip(after is null ? query.Offset ?? 0 : 0).Take(limit + 1)
            .Include(s => s.Secrets).ToListAsync(cancellationToken);
        var page = found.Take(limit).Select(s => SubscriptionMapping.View(s, protector)).ToList();
        return new SubscriptionPage(page, found.Count > limit ? Cursor.Encode(page[^1].Id) : null);
    }
}
