namespace Webhooks.Domain.Delivery;

/// <summary>One line of a subscription's log: an attempt of a delivery, or (without one) a test send.</summary>
public sealed class DeliveryAttempt
{
    private DeliveryAttempt()
    {
    }

    public Guid Id { get; private set; }
    public Guid SubscriptionId { get; private set; }
    public Guid? DeliveryId { get; private set; }
    public string Event { get; private set; } = "";
    public int Attempt { get; private set; }
    public int? StatusCode { get; private set; }
    public int ResponseTimeMs { get; private set; }
    public string? ResponseBody { get; private set; }
    public string? Error { get; private set; }

    /// <summary>The body a test send posted (a delivery's attempts are rebuilt from its event instead).</summary>
    public string? Payload { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
}
