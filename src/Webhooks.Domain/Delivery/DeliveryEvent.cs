namespace Webhooks.Domain.Delivery;

/// <summary>An event taken in for delivery: its type, its data and when it occurred (every attempt's envelope timestamp).</summary>
public sealed class DeliveryEvent
{
    private DeliveryEvent()
    {
    }

    public string Id { get; private set; } = "";
    public string Type { get; private set; } = "";

    /// <summary>The event's data as JSON text.</summary>
    public string Data { get; private set; } = "{}";
    public string Origin { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? OccurredAt { get; private set; }

    /// <summary>The application it was published to; null for the gateway's own and the inbound-mapped events.</summary>
    public Guid? ApplicationId { get; private set; }

    /// <summary>When the event occurred: as its publisher said, or when the gateway took it in.</summary>
    public DateTimeOffset Time => OccurredAt ?? CreatedAt;
}
