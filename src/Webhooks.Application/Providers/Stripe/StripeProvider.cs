using System.Text.Json.Nodes;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Common.Json;
using Webhooks.Application.Ingestion;
using Webhooks.Domain.Events;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Providers.Stripe;

/// <summary>Stripe events: the type and id come from the body; the resource is data.object.</summary>
internal sealed class StripeProvider : IWebhookProvider
{
    private static readonly Dictionary<string, Func<JsonNode, MappedEvent>> Mappings = new(StringComparer.Ordinal)
    {
        ["payment_intent.succeeded"] = o => Payment("evt.webhook.payment.succeeded", o),
        ["payment_intent.payment_failed"] = o => Payment("evt.webhook.payment.failed", o),
        ["payment_intent.failed"] = o => Payment("evt.webhook.payment.failed", o),
        ["customer.subscription.created"] = o => Subscription("evt.webhook.subscription.created", o),
        ["customer.subscription.updated"] = o => Subscription("evt.webhook.subscription.updated", o),
        ["customer.subscription.deleted"] = o => Subscription("evt.webhook.subscription.cancelled", o),
        ["customer.created"] = o => Customer("evt.webhook.customer.created", o),
        ["customer.updated"] = o => Customer("evt.webhook.customer.updated", o),
        ["invoice.payment_succeeded"] = o => new MappedEvent("evt.webhook.invoice.paid", o.Text("id"), new JsonObject
        {
            ["invoice_id"] = o.Copy("id"),
            ["customer"] = o.Copy("customer"),
            ["subscription"] = o.Copy("subscription"),
            ["amount"] = o.Copy("amount_paid"),
            ["currency"] = o.Copy("currency"),
            ["status"] = o.Copy("status"),
        }),
    };

    public ProviderKind Kind => ProviderKind.Stripe;

    public static IReadOnlyCollection<string> MappedTypes => Mappings.Keys;

    public SignatureCheck Verify(WebhookRequest request, WebhookSource source, DateTimeOffset now) => StripeSignature.Verify(request, source, now);

    public WebhookInterpretation Interpret(WebhookRequest request, WebhookSource source)
    {
        var body = Signatures.ParseJsonObject(request.Body);
        var id = body.Text("id") ?? throw new MalformedWebhookException("A Stripe event has an id; this body has none.");
        var type = body.Text("type") ?? throw new MalformedWebhookException("A Stripe event has a type; this body has none.");
        var resource = body.Path("data", "object") ?? new JsonObject();
        var events = Mappings.TryGetValue(type, out var map) ? [map(resource)] : Array.Empty<MappedEvent>();
        return new WebhookInterpretation(type, id, body, events);
    }

    private static MappedEvent Payment(string type, JsonNode o) => new(type, o.Text("id"), new JsonObject
    {
        ["payment_intent_id"] = o.Copy("id"),
        ["amount"] = o.Copy("amount"),
        ["currency"] = o.Copy("currency"),
        ["status"] = o.Copy("status"),
        ["customer"] = o.Copy("customer"),
        ["payment_method"] = o.Copy("payment_method"),
        ["failure_message"] = o.Path("last_payment_error", "message")?.DeepClone(),
    });

    private static MappedEvent Subscription(string type, JsonNode o) => new(type, o.Text("id"), new JsonObject
    {
        ["subscription_id"] = o.Copy("id"),
        ["customer"] = o.Copy("customer"),
        ["status"] = o.Copy("status"),
        ["plan_id"] = (o.Path("plan", "id") ?? (o.Path("items", "data") as JsonArray)?.FirstOrDefault()?.Path("price", "id"))?.DeepClone(),
        ["current_period_end"] = o.Copy("current_period_end"),
        ["cancel_at_period_end"] = o.Copy("cancel_at_period_end"),
    });

    private static MappedEvent Customer(string type, JsonNode o) => new(type, o.Text("id"), new JsonObject
    {
        ["customer_id"] = o.Copy("id"),
        ["email"] = o.Copy("email"),
        ["name"] = o.Copy("name"),
    });
}
