using Webhooks.Application.Common.Paging;
using Webhooks.Application.Delivery.Deliveries;
using Webhooks.Application.Delivery.Subscriptions;
using Webhooks.Application.Tenants;

namespace Webhooks.Api.Portal;

/// <summary>What every portal page knows: the application's name and whether this session may change anything.</summary>
public abstract record PortalPage(string Application, bool ReadOnly);

public sealed record PortalHome(string Application, bool ReadOnly, SubscriptionPage Subscriptions) : PortalPage(Application, ReadOnly);

/// <param name="Secret">A secret just created or rotated: shown this once.</param>
/// <param name="DryRun">The filter dry run's result, with the filter it ran.</param>
public sealed record PortalSubscription(
    string Application, bool ReadOnly, SubscriptionView Subscription, Page<AttemptLog> Logs, string? Secret = null,
    (string Filter, FilterTestResult Result)? DryRun = null, TestSendResult? TestSend = null, string? Error = null) : PortalPage(Application, ReadOnly);

public sealed record PortalDeliveries(string Application, bool ReadOnly, Page<DeliverySummary> Deliveries, DeliveryFilter Filter, string? Queued = null)
    : PortalPage(Application, ReadOnly);

public sealed record PortalDelivery(string Application, bool ReadOnly, DeliveryDetail Detail) : PortalPage(Application, ReadOnly);

public sealed record PortalEventTypes(string Application, bool ReadOnly, IReadOnlyList<EventTypeView> Types) : PortalPage(Application, ReadOnly);

public sealed record PortalMessage(string Application, bool ReadOnly, string Title, string Text, string Back) : PortalPage(Application, ReadOnly);
