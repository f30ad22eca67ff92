using System.Text.Json.Nodes;
using Webhooks.Domain.Events;

namespace Webhooks.Application.Providers;

/// <summary>What a provider's delivery means: its topic, the key that makes it unique, and the events it maps to.</summary>
public sealed record WebhookInterpretation(
    string? Topic,
    string IdempotencyKey,
    JsonNode? Payload,
    IReadOnlyList<MappedEvent> Events)
{
    /// <summary>A body to answer with instead of the usual acknowledgement (a provider's handshake).</summary>
    public string? ImmediateResponse { get; init; }

    /// <summary>When the provider says the event occurred, where it sends such a time (CloudEvent providertime).</summary>
    public DateTimeOffset? ProviderTime { get; init; }

    /// <summary>Why the verified delivery could not be mapped to domain events (then it has none), or null.</summary>
    public string? MappingFailure { get; init; }

    /// <summary>The merchant the webhook is about (Shopify's shop handle; Stripe's metadata.merchant_id), for seed 000's fields.</summary>
    public string? MerchantId { get; init; }

    /// <summary>The merchant's domain (X-Shopify-Shop-Domain; Stripe's metadata.merchant_domain).</summary>
    public string? MerchantDomain { get; init; }

    /// <summary>A handshake is answered but not stored.</summary>
    public bool StoreAndPublish { get; init; } = true;
}
