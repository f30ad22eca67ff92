using Webhooks.Domain.Delivery;

namespace Webhooks.Application.Delivery.Deliveries;

/// <summary>
/// The filters of GET /api/v1/deliveries and of a bulk retry (contract v3): status (pending, delivered, dead, archived),
/// subscription_id, event (the type), since (created at or after), until (created before); and the application whose
/// subscriptions they belong to, which the caller's scope sets (never the caller).
/// </summary>
public sealed record DeliveryFilter(
    string? Status = null, Guid? SubscriptionId = null, string? Event = null, DateTimeOffset? Since = null, DateTimeOffset? Until = null, Guid? ApplicationId = null)
{
    /// <summary>How a filter is stored with its bulk-retry job (snake_case, as the API takes it).</summary>
    internal static readonly System.Text.Json.JsonSerializerOptions Json = new() { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower };

    public IQueryable<EventDelivery> ApplyTo(IQueryable<EventDelivery> query, IQueryable<Subscription> subscriptions)
    {
        if (ApplicationId is { } application)
        {
            query = query.Where(d => subscriptions.Any(s => s.Id == d.SubscriptionId && s.ApplicationId == application));
        }

        if (!string.IsNullOrEmpty(Status))
        {
            var status = DeliveryStatuses.Parse(Status);
            query = query.Where(d => d.Status == status);
        }

        if (SubscriptionId is { } subscription)
        {
            query = query.Where(d => d.SubscriptionId == subscription);
        }

        if (!string.IsNullOrEmpty(Event))
        {
            query = query.Where(d => d.EventType == Event);
        }

        if (Since is { } since)
        {
            query = query.Where(d => d.CreatedAt >= since);
        }

        if (Until is { } until)
        {
            query = query.Where(d => d.CreatedAt < until);
        }

        return query;
    }
}
