using Webhooks.Application.Tenants;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Delivery.Subscriptions;

namespace Webhooks.Application.Delivery.Deliveries;

/// <summary>One delivery with its payload and every attempt (oldest first).</summary>
public sealed record GetDelivery(Guid Id, string? Application = null) : IRequest<DeliveryDetail>, IApplicationScoped;

internal sealed class GetDeliveryHandler(IWebhooksDbContext db, ApplicationScope scope) : IRequestHandler<GetDelivery, DeliveryDetail>
{
    public async Task<DeliveryDetail> Handle(GetDelivery query, CancellationToken cancellationToken)
    {
        var delivery = await db.Deliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == query.Id, cancellationToken)
            ?? throw new NotFoundException("Delivery", query.Id);
        await DeliveryScope.RequireAsync(db, scope, delivery, cancellationToken);
        var sent = await db.DeliveryEvents.AsNoTracking().FirstOrDefaultAsync(e => e.Id == delivery.EventId, cancellationToken);
        var lines = await db.DeliveryAttempts.AsNoTracking().Where(a => a.DeliveryId == delivery.Id).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var payloads = await DeliveryPayloads.ForAsync(db, lines, cancellationToken);
        var attempts = lines
            .Select(a => new AttemptLog(a.Id, a.Event, a.Attempt, a.StatusCode, a.ResponseTimeMs, a.ResponseBody, a.Error, a.CreatedAt, a.DeliveryId) { Payload = payloads.GetValueOrDefault(a.Id) })
            .ToList();
        var payload = sent is null ? (System.Text.Json.JsonElement?)null : DeliveryPayloads.Of(delivery, sent, Math.Max(1, delivery.Attempts));
        return new DeliveryDetail(DeliverySummary.From(delivery), payload, attempts);
    }
}
