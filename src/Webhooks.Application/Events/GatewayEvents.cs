using System.Text.Json.Nodes;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Ingestion;
using Webhooks.Application.Providers;
using Webhooks.Contracts;
using Webhooks.Domain.Alerts;
using Webhooks.Domain.Events;
using Webhooks.Domain.Outbox;

namespace Webhooks.Application.Events;

/// <summary>
/// Every event the gateway itself builds, as the outbox row that publishes it (docs/contract.md, Events on RabbitMQ):
/// evt.gateway.subscription.disabled, evt.gateway.rejected, evt.gateway.alert.opened|resolved and
/// evt.webhook.validation.failed. (A stored webhook's own events, its lifecycle and evt.gateway.mapping_failed among
/// them, are <see cref="OutboxEvents"/>.) Events about a subscription say so, so it is never offered them.
/// </summary>
public static class GatewayEvents
{
    private const int MaxReasonLength = 500;

    public static OutboxMessage SubscriptionDisabled(Guid subscription, string url, string reason, DateTimeOffset now)
    {
        var id = subscription.ToString();
        return Gateway(RoutingKeys.GatewaySubscriptionDisabled, id, "/subscriptions/", id,
            ContractEvents.Data(new Contracts.SubscriptionDisabled { SubscriptionId = id, Url = url, Reason = reason, DisabledAt = now }), now, outboxSource: "subscriptions")
            .About(subscription);
    }

    /// <summary>Seed 000's evt.webhook.validation.failed: a refused delivery to a known source.</summary>
    public static OutboxMessage ValidationFailed(string source, IngestRejection rejection, DateTimeOffset at)
    {
        var id = Guid.CreateVersion7(at);
        var data = ContractEvents.Data(new Contracts.ValidationFailed
        {
            Source = source,
            Reason = rejection.Reason.Length <= MaxReasonLength ? rejection.Reason : rejection.Reason[..MaxReasonLength],
            Topic = rejection.Topic,
            FailedAt = at,
        });
        var envelope = CloudEventEnvelope.Write(id, source, rejection.Provider, rejection.Topic, new MappedEvent(RoutingKeys.ValidationFailed, null, data), at, null, null, null, out _);
        return OutboxMessage.Create(id, null, source, RoutingKeys.ValidationFailed, null, null, envelope, at);
    }

    /// <summary>One source's rejected deliveries over one finished minute.</summary>
    public static OutboxMessage Rejected(RejectionSummary summary, DateTimeOffset now) =>
        Gateway(RoutingKeys.GatewayRejected, summary.Source, "/gateway/rejections/", summary.Source, ContractEvents.Data(summary), now);

    /// <summary>An alert's transition: opened (again on a change of severity) or resolved.</summary>
    public static OutboxMessage AlertTransition(Alert alert, string dashboardUrl, DateTimeOffset now)
    {
        var type = alert.Status == AlertStatus.Resolved ? RoutingKeys.GatewayAlertResolved : RoutingKeys.GatewayAlertOpened;
        var aboutSubscription = alert.Kind.StartsWith("subscription", StringComparison.Ordinal);
        var record = new Contracts.AlertTransition
        {
            AlertId = alert.Id.ToString(),
            Kind = alert.Kind,
            Severity = alert.Severity.ToString().ToLowerInvariant(),
            Source = aboutSubscription || alert.Subject == AlertRules.Gateway ? null : alert.Subject,
            SubscriptionId = aboutSubscription ? alert.Subject : null,
            Value = alert.Value,
            Threshold = alert.Threshold,
            WindowSeconds = alert.WindowSeconds,
            OpenedAt = alert.OpenedAt,
            ResolvedAt = alert.ResolvedAt,
            DashboardUrl = dashboardUrl,
        };
        return Gateway(type, alert.Id.ToString(), "/alerts/", alert.Subject, ContractEvents.Data(record), now)
            .About(aboutSubscription && Guid.TryParse(alert.Subject, out var subscription) ? subscription : null);
    }

    /// <param name="sourceName">With <paramref name="sourcePrefix"/>, the CloudEvent's source (e.g. /subscriptions/{id}).</param>
    /// <param name="outboxSource">The outbox row's source, as dead letters are filtered by it.</param>
    private static OutboxMessage Gateway(string type, string sourceName, string sourcePrefix, string subject, JsonObject data, DateTimeOffset now, string outboxSource = "gateway")
    {
        var id = Guid.CreateVersion7(now);
        var envelope = CloudEventEnvelope.Write(id, sourceName, "webhooks", null, new MappedEvent(type, subject, data), now, null, null, null, out _, sourcePrefix: sourcePrefix);
        return OutboxMessage.Create(id, null, outboxSource, type, subject, null, envelope, now);
    }
}
