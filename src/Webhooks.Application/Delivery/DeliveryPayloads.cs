using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Json;
using Webhooks.Domain.Delivery;

namespace Webhooks.Application.Delivery;

/// <summary>
/// The bodies that log lines sent: a test send's as stored, a delivery's attempt written again from the delivery and
/// its event (the envelope is the same on every attempt but for its number), in two queries for a whole page.
/// </summary>
internal static class DeliveryPayloads
{
    public static async Task<Dictionary<Guid, JsonElement>> ForAsync(IWebhooksDbContext db, IReadOnlyList<DeliveryAttempt> lines, CancellationToken cancellationToken)
    {
        var payloads = new Dictionary<Guid, JsonElement>();
        foreach (var line in lines.Where(l => l.Payload is not null))
        {
            payloads[line.Id] = StoredJson.Element(line.Payload!);
        }

        var deliveryIds = lines.Where(l => l.DeliveryId is not null).Select(l => l.DeliveryId!.Value).Distinct().ToList();
        if (deliveryIds.Count == 0)
        {
            return payloads;
        }

        var deliveries = await db.Deliveries.AsNoTracking().Where(d => deliveryIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, cancellationToken);
        var eventIds = deliveries.Values.Select(d => d.EventId).Distinct().ToList();
        var events = await db.DeliveryEvents.AsNoTracking().Where(e => eventIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, StringComparer.Ordinal, cancellationToken);
        foreach (var line in lines)
        {
            if (line.DeliveryId is { } id && deliveries.TryGetValue(id, out var delivery) && events.TryGetValue(delivery.EventId, out var sent))
            {
                payloads[line.Id] = Of(delivery, sent, line.Attempt);
            }
        }

        return payloads;
    }

    /// <summary>The body of attempt <paramref name="attempt"/> of a delivery.</summary>
    public static JsonElement Of(EventDelivery delivery, DeliveryEvent sent, int attempt) =>
        StoredJson.Element(System.Text.Encoding.UTF8.GetString(
            DeliveryEnvelope.Write(delivery.MessageId, delivery.EventType, sent.Time, delivery.SubscriptionId, attempt, StoredJson.Element(sent.Data))));
}
