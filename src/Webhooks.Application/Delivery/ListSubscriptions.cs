using FluentValidation;
using MediatR;
using Webhooks.Application.Common.Paging;

namespace Webhooks.Application.Delivery;

public sealed record ListSubscriptions(int? Limit, int? Offset, string? Cursor, bool? IsActive) : IRequest<SubscriptionPage>;

internal sealed class ListSubscriptionsHandler(IDeliveryStore store) : IRequestHandler<ListSubscriptions, SubscriptionPage>
{
    public Task<SubscriptionPage> Handle(ListSubscriptions query, CancellationToken cancellationToken)
    {
        var limit = query.Limit ?? 50;
        if (limit is < 1 or > 100 || query.Offset is < 0)
        {
            throw new ValidationException("limit must be between 1 and 100 and offset not negative.");
        }

        return store.ListAsync(limit, query.Offset ?? 0, Cursor.Decode(query.Cursor), query.IsActive, cancellationToken);
    }
}
