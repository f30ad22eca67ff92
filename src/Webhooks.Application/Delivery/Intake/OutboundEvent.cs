using System.Text.Json;

namespace Webhooks.Application.Delivery.Intake;

/// <summary>An event to deliver: from POST /api/v1/events, webhooks.outbound, an inbound-mapped event, or the gateway's own.</summary>
/// <param name="AboutSubscription">The subscription a gateway event is about: it never receives that event.</param>
/// <param name="OccurredAt">When the event occurred, as its publisher says (a CloudEvent's time); null: now.</param>
/// <param name="ApplicationId">The application it was published to (its subscriptions only); null for the gateway's own and inbound-mapped events, offered to the operators' subscriptions of every application.</param>
public sealed record OutboundEvent(
    string Id, string Type, JsonElement Data, string Origin, Guid? AboutSubscription = null, DateTimeOffset? OccurredAt = null, Guid? ApplicationId = null);

public sealed record PublishedEvent(string Id, int Subscriptions, bool Duplicate);
