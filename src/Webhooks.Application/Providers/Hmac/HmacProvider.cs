using System.Text.Json.Nodes;
using Webhooks.Application.Common.Json;
using Webhooks.Application.Ingestion;
using Webhooks.Domain.Events;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Providers.Hmac;

/// <summary>Any HMAC sender: the id and event type come from the configured headers (else the body's type/event).</summary>
public sealed class HmacProvider : IWebhookProvider
{
    public ProviderKind Kind => ProviderKind.Hmac;

    public SignatureCheck Verify(WebhookRequest request, WebhookSource source, DateTimeOffset now) => HmacSignature.Verify(request, source, now);

    public WebhookInterpretation Interpret(WebhookRequest request, WebhookSource source)
    {
        var scheme = source.Hmac!;
        var body = Signatures.ParseJson(request.Body);
        var type = (scheme.EventTypeHeader is { } typeHeader ? request.Header(typeHeader) : null)
            ?? body.Text("type") ?? body.Text("event") ?? request.PathTopic;
        var key = (scheme.IdHeader is { } idHeader ? request.Header(idHeader) : null) ?? Signatures.BodyKey(request.Body);
        var sentAt = scheme.TimestampHeader is { } timestampHeader ? Signatures.ParseTime(request.Header(timestampHeader)) : null;
        return new WebhookInterpretation(type, key, body, []) { ProviderTime = sentAt }.Mapped(() =>
        {
            if (type is null)
            {
                return null;
            }

            var data = body.Path("data") is JsonObject payload ? payload.DeepClone().AsObject() : body is JsonObject whole ? whole.DeepClone().AsObject() : [];
            return new MappedEvent(EventTypes.FromSource(source.Name, type), data.Text("id"), data);
        });
    }
}
