using System.ComponentModel.DataAnnotations;

namespace Webhooks.Infrastructure.Delivery;

/// <summary>
/// Webhooks:Delivery — outbound delivery's transport: publisher keys, destinations, the circuit breaker and the intake
/// queues. How deliveries are sent and judged (in flight, retries, disabling) is <see cref="Application.Delivery.Sending.DeliveryRules"/>.
/// </summary>
internal sealed class DeliveryOptions
{
    /// <summary>Run the delivery workers in this instance.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The largest event accepted for delivery, by POST /api/v1/events (the whole body) or on webhooks.outbound.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxEventBytes { get; set; } = 1024 * 1024;

    /// <summary>Bearer keys (besides the admin key) allowed to POST /api/v1/events.</summary>
    public List<string> PublisherKeys { get; set; } = [];

    /// <summary>Allow destinations on loopback, private, link-local and metadata addresses (tests, private networks).</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Allow http:// destinations (else https only).</summary>
    public bool AllowHttp { get; set; }

    /// <summary>Consecutive failures that open an endpoint's circuit, and how long it stays open.</summary>
    [Range(2, 1000)]
    public int BreakerFailures { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan BreakerDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Consume the inbound-mapped events of webhooks.events, so subscriptions may opt in to them (include_inbound).
    /// Off by default: it reads every inbound event back from the broker.
    /// </summary>
    public bool ConsumeInboundEvents { get; set; }

    /// <summary>The queue (bound to <see cref="Exchange"/> with #) this service takes outbound events from.</summary>
    [Required]
    public string IntakeQueue { get; set; } = "webhooks.delivery.outbound";

    /// <summary>The queue (bound to webhooks.events with #) inbound-mapped events are taken from for opted-in subscriptions.</summary>
    [Required]
    public string InboundQueue { get; set; } = "webhooks.delivery.inbound";

    /// <summary>Declare the intake queues durable (production); false makes them auto-delete (disposable environments).</summary>
    public bool DurableQueues { get; set; } = true;

    /// <summary>The exchange internal services publish outbound CloudEvents to.</summary>
    [Required]
    public string Exchange { get; set; } = "webhooks.outbound";
}

/// <summary>The configured capabilities, for the use cases.</summary>
internal sealed class DeliveryCapabilities(Microsoft.Extensions.Options.IOptions<DeliveryOptions> options) : Application.Delivery.IDeliveryCapabilities
{
    public bool InboundEvents => options.Value.Enabled && options.Value.ConsumeInboundEvents;

    public int MaxEventBytes => options.Value.MaxEventBytes;
}

/// <summary>The inbound queue, when inbound events are not consumed for delivery: the topology unbinds it.</summary>
internal sealed class UnusedInboundQueue(Microsoft.Extensions.Options.IOptions<DeliveryOptions> options) : Messaging.IUnusedQueues
{
    public IEnumerable<string> Queues => options.Value.Enabled && options.Value.ConsumeInboundEvents ? [] : [options.Value.InboundQueue];
}
