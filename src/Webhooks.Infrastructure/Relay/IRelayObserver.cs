using System.Diagnostics;
using Webhooks.Infrastructure.Messaging;

namespace Webhooks.Infrastructure.Relay;

/// <summary>
/// What the relay reports as it works — its metrics and a span per publish — for whoever observes it. The relay names
/// no metrics or tracing types itself, so observability may read the relay's state without the two depending on
/// each other.
/// </summary>
internal interface IRelayObserver
{
    void BatchClaimed(int count);

    /// <summary>The span of one publish, or null when nobody listens.</summary>
    Activity? StartPublish(ClaimedEvent message, string exchange);

    void Published(string eventType);

    /// <param name="reason">nack, returned, unreachable or error.</param>
    void PublishFailed(string reason);

    void BatchPublished(TimeSpan elapsed);
}
