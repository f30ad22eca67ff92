using System.Text.Json.Nodes;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Common.Json;
using Webhooks.Application.Ingestion;
using Webhooks.Contracts;
using Webhooks.Domain.Events;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Providers.Stripe;

/// <summary>Stripe events: the type, id and creation time come from the body; the resource is data.object.</summary>
internal sealed class StripeProvider : IWebhookProvider
{
    private static readonly Dictionary<string, Func<JsonNode, MappedEvent>> Mappings = new(StringComparer.Ordinal)
    {
        ["payment_intent.succeeded"] = o => PaymentIntent(new PaymentSucceeded { PaymentMethod = o.Text("payment_method") }, o),
        ["payment_intent.payment_failed"] = o => PaymentIntent(new PaymentFailed { PaymentMethod = o.Text("payment_method"), FailureMessage = o.Text("last_payment_error", "message") }, o),
        ["payment_intent.failed"] = o => PaymentIntent(new PaymentFailed { PaymentMethod = o.Text("payment_method"), FailureMessage = o.Text("last_payment_error", "message") }, o),
        ["charge.refunded"] = o => ContractEvents.Event(new PaymentRefunded
        {
            PaymentId = o.Text("payment_intent") ?? o.Text("id"),
            RefundId = (o.Path("refunds", "data") as JsonArray)?.FirstOrDefault().Text("id"),
            Amount = ContractEvents.Money(o.Long("amount_refunded"), o.Text("currency")),
            Currency = Upper(o.Text("currency")),
            Status = o.Bool("refunded") == true ? "refunded" : "partially_refunded",
            CustomerId = o.Text("customer"),
            InvoiceId = o.Text("invoice"),
        }, o.Text("id")),
        ["customer.subscription.created"] = o => Subscription(new SubscriptionCreated(), o),
        ["customer.subscription.updated"] = o => Subscription(new SubscriptionUpdated(), o),
        ["customer.subscription.deleted"] = o => Subscription(new SubscriptionCancelled(), o),
        ["customer.created"] = o => Customer(new CustomerCreated(), o),
        ["customer.updated"] = o => Customer(new CustomerUpdated(), o),
        ["invoice.payment_succeeded"] = o => Invoice(new InvoicePaid(), o, o.Long("amount_paid")),
        ["invoice.payment_failed"] = o => Invoice(new InvoicePaymentFailed
        {
            AttemptCount = (int?)o.Long("attempt_count"),
            NextPaymentAttempt = o.UnixTime("next_payment_attempt"),
        }, o, o.Long("amount_due")),
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
        return new WebhookInterpretation(type, id, body, []) { ProviderTime = body.UnixTime("created") }
            .Mapped(() => Mappings.TryGetValue(type, out var map) ? map(resource) : null);
    }

    private static MappedEvent PaymentIntent<T>(T payment, JsonNode o) where T : Payment => ContractEvents.Event(payment with
    {
        PaymentId = o.Text("id"),
        Amount = ContractEvents.Money(o.Long("amount"), o.Text("currency")),
        Currency = Upper(o.Text("currency")),
        Status = o.Text("status"),
        CustomerId = o.Text("customer"),
        InvoiceId = o.Text("invoice"),
    }, o.Text("id"));

    private static MappedEvent Subscription<T>(T subscription, JsonNode o) where T : Contracts.Subscription => ContractEvents.Event(subscription with
    {
        SubscriptionId = o.Text("id"),
        CustomerId = o.Text("customer"),
        Status = o.Text("status"),
        PlanId = o.Text("plan", "id") ?? (o.Path("items", "data") as JsonArray)?.FirstOrDefault().Text("price", "id"),
        CurrentPeriodEnd = o.UnixTime("current_period_end") ?? (o.Path("items", "data") as JsonArray)?.FirstOrDefault().UnixTime("current_period_end"),
        CancelAtPeriodEnd = o.Bool("cancel_at_period_end"),
    }, o.Text("id"));

    private static MappedEvent Customer<T>(T customer, JsonNode o) where T : Contracts.Customer => ContractEvents.Event(customer with
    {
        CustomerId = o.Text("id"),
        Email = o.Text("email"),
        Name = o.Text("name"),
        Phone = o.Text("phone"),
    }, o.Text("id"));

    private static MappedEvent Invoice<T>(T invoice, JsonNode o, long? amount) where T : Contracts.Invoice => ContractEvents.Event(invoice with
    {
        InvoiceId = o.Text("id"),
        CustomerId = o.Text("customer"),
        SubscriptionId = o.Text("subscription"),
        Amount = ContractEvents.Money(amount, o.Text("currency")),
        Currency = Upper(o.Text("currency")),
        Status = o.Text("status"),
    }, o.Text("id"));

    /// <summary>Stripe spells currencies in lower case; the events use ISO 4217's upper case, as Shopify and PayPal do.</summary>
    private static string? Upper(string? currency) => currency?.ToUpperInvariant();
}
