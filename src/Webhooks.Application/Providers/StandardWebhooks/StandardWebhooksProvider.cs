using System.Text.Json.Nodes;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Common.Json;
using Webhooks.Application.Ingestion;
using Webhooks.Domain.Events;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Providers.StandardWebhooks;

/// <summary>Standard Webhooks senders: webhook-id identifies the message; the body's type names the event.</summary>
public sealed class StandardWebhooksProvider : IWebhookProvider
{
    public ProviderKind Kind => ProviderKind.StandardWebhooks;

    public SignatureCheck Verify(WebhookRequest request, WebhookSource source, DateTimeOffset now) => StandardWebhooksSignature.Verify(request, source, now);

    public WebhookInterpretation Interpret(WebhookRequest request, WebhookSource source)
    {
        var body = Signatures.ParseJsonObject(request.Body);
        var type = body.Text("type") ?? throw new MalformedWebhookException("A Standard Webhooks payload has a type; this body has none.");
        var data = body.Path("data") is JsonObject payload ? payload.DeepClone().AsObject() : body.DeepClone().AsObject();
        return new WebhookInterpretation(type, request.Header(StandardWebhooksSignature.IdHeader)!, body, [])
        {
            ProviderTime = Signatures.ParseTime(request.Header(StandardWebhooksSignature.TimestampHeader)),
        }.Mapped(() => new MappedEvent(EventTypes.FromSource(source.Name, type), data.Text("id"), data));
    }
}
