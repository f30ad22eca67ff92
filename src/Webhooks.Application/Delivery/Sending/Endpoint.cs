namespace Webhooks.Application.Delivery.Sending;

/// <summary>What a subscription's requests need: where, how long, how to sign, with which headers and User-Agent.</summary>
/// <param name="Secrets">The active signing secrets, decrypted, oldest first.</param>
public sealed record Endpoint(Guid Id, string Url, IReadOnlyDictionary<string, string> Headers, int TimeoutSeconds, string Scheme, IReadOnlyList<string> Secrets)
{
    /// <summary>The subscription's own User-Agent, or the gateway's.</summary>
    public string UserAgent { get; init; } = DeliveryEnvelope.DefaultUserAgent;

    /// <summary>Sent as X-Webhook-Version when set.</summary>
    public string? ApiVersion { get; init; }
}
