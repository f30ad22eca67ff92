using System.Text.Json;
using Webhooks.Domain.Delivery;
using Webhooks.Application.Delivery.Subscriptions;

namespace Webhooks.Application.Delivery.Deliveries;

/// <summary>A delivery in a list: what it carries, to whom, and how it stands.</summary>
public sealed record DeliverySummary(
    Guid Id, string MessageId, Guid SubscriptionId, string EventId, string Event, string Status, int Attempts, int? LastStatus, string? LastError,
    DateTimeOffset NextAttemptAt, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, DateTimeOffset? ArchivedAt)
{
    public static DeliverySummary From(EventDelivery d) => new(
        d.Id, d.MessageId, d.SubscriptionId, d.EventId, d.EventType, d.Status.Text(), d.Attempts, d.LastStatus, d.LastError, d.NextAttemptAt, d.CreatedAt, d.CompletedAt, d.ArchivedAt);
}

/// <summary>A delivery with the request it sends (<c>payload</c>, as its next or last attempt carries it) and every attempt.</summary>
public sealed record DeliveryDetail(DeliverySummary Delivery, JsonElement? Payload, IReadOnlyList<AttemptLog> Attempts);
