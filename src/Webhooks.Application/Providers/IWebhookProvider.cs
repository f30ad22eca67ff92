using Webhooks.Application.Ingestion;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Providers;

/// <summary>One provider's conventions: how it signs, how its deliveries are identified, and how they map to events.</summary>
public interface IWebhookProvider
{
    ProviderKind Kind { get; }

    /// <summary>Verifies the signature over the raw bytes, in constant time, against every configured secret.</summary>
    SignatureCheck Verify(WebhookRequest request, WebhookSource source, DateTimeOffset now);

    /// <summary>Reads a verified delivery.</summary>
    /// <exception cref="Common.Exceptions.MalformedWebhookException">The body or a required header is malformed.</exception>
    WebhookInterpretation Interpret(WebhookRequest request, WebhookSource source);
}
