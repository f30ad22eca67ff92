using Webhooks.Application.Tenants;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Paging;

namespace Webhooks.Application.Delivery.Deliveries;

/// <summary>Deliveries, newest first, by the filters of contract v3; cursor paging.</summary>
public sealed record ListDeliveries(DeliveryFilter Filter, int? Limit, string? Cursor, string? Application = null) : IRequest<Page<DeliverySummary>>, IApplicationScoped;

internal sealed class ListDeliveriesValidator : AbstractValidator<ListDeliveries>
{
    public ListDeliveriesValidator() => DeliveryFilterRules.Apply(this, q => q.Filter);
}

internal sealed class ListDeliveriesHandler(IWebhooksDbContext db, ApplicationScope scope) : IRequestHandler<ListDeliveries, Page<DeliverySummary>>
{
    public async Task<Page<DeliverySummary>> Handle(ListDeliveries query, CancellationToken cancellationToken)
    {
        var limit = Cursor.Limit(query.Limit);
        var deliveries = (query.Filter with { ApplicationId = scope.Id }).ApplyTo(db.Deliveries.AsNoTracking(), db.Subscriptions);
        if (Cursor.Decode(query.Cursor) is { } before)
        {
            deliveries = deliveries.Where(d => d.Id.CompareTo(before) < 0);
        }

        var rows = await deliveries.OrderByDescending(d => d.Id).Take(limit + 1).ToListAsync(cancellationToken);
        return Cursor.ToPage(rows, limit, d => d.Id, DeliverySummary.From);
    }
}
