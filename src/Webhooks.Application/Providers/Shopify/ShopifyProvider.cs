using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Common.Json;
using Webhooks.Application.Ingestion;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Providers.Shopify;

public sealed class ShopifyProvider : IWebhookProvider
{
    public const string TopicHeader = "X-Shopify-Topic";
    public const string ShopHeader = "X-Shopify-Shop-Domain";
    public const string EventIdHeader = "X-Shopify-Event-Id";
    public const string WebhookIdHeader = "X-Shopify-Webhook-Id";
    public const string TriggeredAtHeader = "X-Shopify-Triggered-At";

    public ProviderKind Kind => ProviderKind.Shopify;

    public SignatureCheck Verify(WebhookRequest request, WebhookSource source, DateTimeOffset now) => ShopifySignature.Verify(request, source);

    public WebhookInterpretation Interpret(WebhookRequest request, WebhookSource source)
    {
        var body = Signatures.ParseJsonObject(request.Body);
        var topic = request.Header(TopicHeader) ?? request.PathTopic
            ?? throw new MalformedWebhookException($"The delivery names no topic: send the {TopicHeader} header or post to /api/v1/webhooks/{{source}}/{{topic}}.");
        ShopifyTopicShapes.Check(topic, body);
        var shop = request.Header(ShopHeader);
        var key = IdempotencyKey(request, topic, shop, body.Text("id"));

        return new WebhookInterpretation(topic, key, body, [])
        {
            ProviderTime = Signatures.ParseTime(request.Header(TriggeredAtHeader)),
            MerchantId = shop?.Split('.')[0],
            MerchantDomain = shop,
        }.Mapped(() => ShopifyEventMapper.Map(topic, body, shop, request.ReceivedAt));
    }

    /// <summary>X-Shopify-Event-Id, else X-Shopify-Webhook-Id, else a hash of topic, shop and the body's id.</summary>
    public static string IdempotencyKey(WebhookRequest request, string topic, string? shop, string? bodyId)
    {
        if (request.Header(EventIdHeader) is { } eventId)
        {
            return eventId;
        }

        if (request.Header(WebhookIdHeader) is { } webhookId)
        {
            return webhookId;
        }

        var identity = bodyId is null ? Signatures.Sha256Hex(request.Body) : bodyId;
        return "sha256:" + Signatures.Sha256Hex(Signatures.Utf8($"{topic}\n{shop}\n{identity}"));
    }
}
