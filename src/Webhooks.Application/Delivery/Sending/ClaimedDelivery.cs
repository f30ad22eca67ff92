using System.Text.Json;

namespace Webhooks.Application.Delivery.Sending;

/// <summary>A claimed delivery with what sending it needs, and the subscription's retry rules.</summary>
/// <param name="OccurredAt">When the event occurred: every attempt's envelope timestamp.</param>
/// <param name="Owner">The claim's owner: its result is recorded only while the delivery is still this owner's.</param>
public sealed record ClaimedDelivery(
    Guid DeliveryId, string EventType, int Attempts, JsonElement Data, DateTimeOffset OccurredAt, Endpoint Endpoint, RetryRules Retries, string Owner);
