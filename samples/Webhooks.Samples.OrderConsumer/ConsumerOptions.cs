using System.ComponentModel.DataAnnotations;

namespace Webhooks.Samples.OrderConsumer;

/// <summary>OrderConsumer — where to read the gateway's order events from.</summary>
public sealed class ConsumerOptions
{
    /// <summary>The consumer's own durable queue: it keeps events while the consumer is down.</summary>
    [Required]
    public string Queue { get; set; } = "orders.sample";

    /// <summary>The gateway's events exchange.</summary>
    [Required]
    public string Exchange { get; set; } = Contracts.RoutingKeys.Exchange;

    /// <summary>What the queue is bound to: every mapped order event.</summary>
    [Required]
    public string BindingKey { get; set; } = "evt.webhook.order.*";
}
