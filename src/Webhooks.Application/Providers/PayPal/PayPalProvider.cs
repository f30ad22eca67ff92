using System.Text.Json.Nodes;
using Webhooks.Application.Common.Json;
using Webhooks.Application.Ingestion;
using Webhooks.Domain.Events;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Providers.PayPal;

/// <summary>PayPal events: event_type and the resource come from the body.</summary>
internal sealed class PayPalProvider : IWebhookProvider
{
    private static readonly Dictionary<string, string> PaymentTypes = new(StringComparer.Ordinal)
    {
        ["PAYMENT.CAPTURE.COMPLETED"] = "evt.webhook.payment.succeeded",
        ["PAYMENT.CAPTURE.DENIED"] = "evt.webhook.payment.failed",
        ["PAYMENT.CAPTURE.REFUNDED"] = "evt.webhook.payment.refunded",
    };

    private static readonly Dictionary<string, string> SubscriptionTypes = new(StringComparer.Ordinal)
    {
        ["BILLING.SUBSCRIPTION.CREATED"] = "evt.webhook.subscription.created",
        ["BILLING.SUBSCRIPTION.CANCELLED"] = "evt.webhook.subscription.cancelled",
    };

    public ProviderKind Kind => ProviderKind.PayPal;

    public SignatureCheck Verify(WebhookRequest request, WebhookSource source, DateTimeOffset now) => PayPalSignature.Verify(request, source, now);

    public WebhookInterpretation Interpret(WebhookRequest request, WebhookSource source)
    {
        var body = Signatures.ParseJsonObject(request.Body);
        var type = body.Text("event_type");
        var resource = body.Path("resource");
        var key = request.Header(PayPalSignature.IdHeader) ?? body.Text("id") ?? Signatures.BodyKey(request.Body);

        MappedEvent? mapped = null;
        if (type is not null && PaymentTypes.TryGetValue(type, out var paymentType))
        {
            mapped = new MappedEvent(paymentType, resource.Text("id"), new JsonObject
            {
                ["paypal_event_id"] = body.Copy("id"),
                ["capture_id"] = resource.Copy("id"),
                ["amount"] = resource.Path("amount", "value")?.DeepClone(),
                ["currency"] = resource.Path("amount", "currency_code")?.DeepClone(),
                ["status"] = resource.Copy("status"),
                ["invoice_id"] = resource.Copy("invoice_id"),
            });
        }
        else if (type is not null && SubscriptionTypes.TryGetValue(type, out var subscriptionType))
        {
            mapped = new MappedEvent(subscriptionType, resource.Text("id"), new JsonObject
            {
                ["paypal_event_id"] = body.Copy("id"),
                ["subscription_id"] = resource.Copy("id"),
                ["plan_id"] = resource.Copy("plan_id"),
                ["status"] = resource.Copy("status"),
                ["email"] = resource.Path("subscriber", "email_address")?.DeepClone(),
            });
        }

        return new WebhookInterpretation(type, key, body, mapped is null ? [] : [mapped]);
    }
}
