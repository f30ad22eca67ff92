using System.Diagnostics;
using Webhooks.Infrastructure.Messaging;
using Webhooks.Infrastructure.Observability;
using Webhooks.Infrastructure.Relay;

namespace Webhooks.Infrastructure;

/// <summary>
/// The relay's reports as metrics and spans. It sits with the composition root because it joins two folders that
/// must not name each other: Observability reads the relay's backlog, and the relay reports through this.
/// </summary>
internal sealed class RelayObservation(WebhooksMetrics metrics) : IRelayObserver
{
    public void BatchClaimed(int count) => metrics.RelayBatchSize.Record(count);

    public Activity? StartPublish(ClaimedEvent message, string exchange) =>
        WebhooksTracing.StartPublish(message.Id, message.EventType, exchange, message.Envelope);

    public void Published(string eventType) => metrics.Published.Add(1, new KeyValuePair<string, object?>("type", TypeLabel(eventType)));

    /// <summary>
    /// The event type as a metric label, from a bounded set: the catalog's types and families, a generic source's
    /// types folded into <c>evt.source.{source}.*</c> (sources are few and made by operators), anything else
    /// <c>other</c>. Generic senders choose their own types; one label value each would grow the series without end.
    /// </summary>
    internal static string TypeLabel(string eventType)
    {
        if (eventType.StartsWith(Contracts.RoutingKeys.SourcePrefix, StringComparison.Ordinal))
        {
            var rest = eventType.AsSpan(Contracts.RoutingKeys.SourcePrefix.Length);
            var dot = rest.IndexOf('.');
            return dot > 0 ? string.Concat(Contracts.RoutingKeys.SourcePrefix, rest[..dot], ".*") : "other";
        }

        return Contracts.EventCatalog.Find(eventType) is { } definition ? definition.RoutingKey : "other";
    }

    public void PublishFailed(string reason) => metrics.PublishFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void BatchPublished(TimeSpan elapsed) => metrics.PublishLatency.Record(elapsed.TotalSeconds);
}
