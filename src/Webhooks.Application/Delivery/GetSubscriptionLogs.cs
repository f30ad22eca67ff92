using MediatR;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Common.Paging;

namespace Webhooks.Application.Delivery;

/// <summary>A subscription's attempts and test sends, newest first.</summary>
public sealed record GetSubscriptionLogs(Guid Id, int? Limit, string? Cursor) : IRequest<Page<AttemptLog>>;

internal sealed class GetSubscriptionLogsHandler(IDeliveryStore store) : IRequestHandler<GetSubscriptionLogs, Page<AttemptLog>>
{
    public async Task<Page<AttemptLog>> Handle(GetSubscriptionLogs query, CancellationToken cancellationToken)
    {
        _ = await store.FindAsync(query.Id, cancellationToken) ?? throw new NotFoundException("Subscription", query.Id);
        var (items, next) = await store.LogsAsync(query.Id, Cursor.Limit(query.Limit), Cursor.Decode(query.Cursor), cancellationToken);
        return new Page<AttemptLog>(items, next is { } id ? Cursor.Encode(id) : null);
    }
}
