namespace Webhooks.Application.Backfill;

/// <summary>One Stripe event from "List all events": its id, type, creation time and the event object's JSON, as the API sent it.</summary>
public sealed record StripeEvent(string Id, string Type, DateTimeOffset Created, byte[] Body);

/// <summary>One page of events, newest first, and whether more follow (<c>has_more</c>; the next page starts after the last id).</summary>
public sealed record StripeEventPage(IReadOnlyList<StripeEvent> Events, bool HasMore);
