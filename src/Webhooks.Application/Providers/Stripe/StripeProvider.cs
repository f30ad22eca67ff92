using System.Text.Json.Nodes;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Common.Json;
using Webhooks.Application.Ingestion;
using Webhooks.Contracts;
using Webhooks.Domain.Events;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Providers.Stripe;

/// <summary>
/// Stripe events: the type, id and creation time come from the body; the resource is data.object. The events carry
/// the fields the service this gateway replaced published (seed 000: Stripe's integers, its lower-case currencies,
/// metadata.merchant_id/merchant_domain, stripe_object_id, created) and those of seed 002 where the name is free.
/// </summary>
public sealed class StripeProvider : IWebhookProvider
{
    private delegate MappedEvent Mapping(JsonNode o, StripeContext context);

    private static readonly Dictionary<string, Mapping> Mappings = new(StringComparer.Ordinal)
    {
        ["payment_intent.succeeded"] = (o, c) => PaymentIntent(new PaymentSucceeded { PaymentMethod = o.Text("payment_method") }, o, c),
        // What Stripe sends for a failed intent (contract v3); seed 000 listened for payment_intent.failed, which
        // Stripe never sends, and it is kept in case a sender relays it under that name.
        ["payment_intent.payment_failed"] = (o, c) => PaymentIntent(Failed(o), o, c),
        ["payment_intent.failed"] = (o, c) => PaymentIntent(Failed(o), o, c),
        ["charge.refunded"] = (o, c) => ContractEvents.Event(c.Fill(new PaymentRefunded
        {
            PaymentId = o.Text("payment_intent") ?? o.Text("id"),
            PaymentIntentId = o.Text("payment_intent"),
            RefundId = (o.Path("refunds", "data") as JsonArray)?.FirstOrDefault().Text("id"),
            Amount = o.Long("amount_refunded"),
            AmountDecimal = ContractEvents.Money(o.Long("amount_refunded"), o.Text("currency")),
            Currency = o.Text("currency"),
            Status = o.Bool("refunded") == true ? "refunded" : "partially_refunded",
            CustomerId = o.Text("customer"),
            InvoiceId = o.Text("invoice"),
            Metadata = o.Element("metadata"),
        }, o), o.Text("id")),
        ["customer.subscription.created"] = (o, c) => Subscription(new SubscriptionCreated(), o, c),
        ["customer.subscription.updated"] = (o, c) => Subscription(new SubscriptionUpdated(), o, c),
        ["customer.subscription.deleted"] = (o, c) => Subscription(new SubscriptionCancelled(), o, c),
        ["customer.created"] = (o, c) => Customer(new CustomerCreated(), o, c),
        ["customer.updated"] = (o, c) => Customer(new CustomerUpdated(), o, c),
        ["invoice.payment_succeeded"] = (o, c) => Invoice(new InvoicePaid { AmountPaid = ContractEvents.MajorUnits(o.Long("amount_paid") ?? 0, o.Text("currency")) }, o, o.Long("amount_paid"), c),
        ["invoice.payment_failed"] = (o, c) => Invoice(new InvoicePaymentFailed
        {
            AttemptCount = (int?)o.Long("attempt_count"),
            NextPaymentAttempt = o.UnixTime("next_payment_attempt"),
        }, o, o.Long("amount_due"), c),
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
        var context = new StripeContext(resource.Text("metadata", "merchant_id"), resource.Text("metadata", "merchant_domain"), request.ReceivedAt);
        return new WebhookInterpretation(type, id, body, [])
        {
            ProviderTime = body.UnixTime("created"),
            MerchantId = context.MerchantId,
            MerchantDomain = context.MerchantDomain,
        }.Mapped(() => Mappings.TryGetValue(type, out var map) ? map(resource, context) : null);
    }

    private static PaymentFailed Failed(JsonNode o) => new()
    {
        PaymentMethod = o.Text("payment_method"),
        FailureReason = o.Text("last_payment_error", "message"),
        FailureMessage = o.Text("last_payment_error", "message"),
    };

    private static MappedEvent PaymentIntent<T>(T payment, JsonNode o, StripeContext c) where T : Payment => ContractEvents.Event(c.Fill(payment with
    {
        PaymentIntentId = o.Text("id"),
        PaymentId = o.Text("id"),
        Amount = o.Long("amount"),
        AmountDecimal = ContractEvents.Money(o.Long("amount"), o.Text("currency")),
        Currency = o.Text("currency"),
        Status = o.Text("status"),
        CustomerId = o.Text("customer"),
        InvoiceId = o.Text("invoice"),
        Metadata = o.Element("metadata"),
    }, o), o.Text("id"));

    private static MappedEvent Subscription<T>(T subscription, JsonNode o, StripeContext c) where T : Contracts.Subscription
    {
        // Since Stripe's 2025-03-31 API version the periods live on the subscription's items.
        var firstItem = (o.Path("items", "data") as JsonArray)?.FirstOrDefault();
        return ContractEvents.Event(c.Fill(subscription with
        {
            SubscriptionId = o.Text("id"),
            CustomerId = o.Text("customer"),
            Status = o.Text("status"),
            PlanId = firstItem.Text("price", "id") ?? o.Text("plan", "id"),
            CurrentPeriodStart = o.Long("current_period_start") ?? firstItem.Long("current_period_start"),
            CurrentPeriodEnd = o.Long("current_period_end") ?? firstItem.Long("current_period_end"),
            CancelAtPeriodEnd = o.Bool("cancel_at_period_end"),
        }, o), o.Text("id"));
    }

    private static MappedEvent Customer<T>(T customer, JsonNode o, StripeContext c) where T : Contracts.Customer => ContractEvents.Event(customer with
    {
        MerchantId = c.MerchantId,
        MerchantDomain = c.MerchantDomain,
        StripeObjectId = o.Text("id"),
        Created = o.Long("created"),
        Timestamp = c.ReceivedAt,
        CustomerId = o.Text("id"),
        Email = o.Text("email"),
        Name = o.Text("name"),
        Phone = o.Text("phone"),
    }, o.Text("id"));

    private static MappedEvent Invoice<T>(T invoice, JsonNode o, long? amount, StripeContext c) where T : Contracts.Invoice => ContractEvents.Event(c.Fill(invoice with
    {
        InvoiceId = o.Text("id"),
        CustomerId = o.Text("customer"),
        SubscriptionId = o.Text("subscription") ?? o.Text("parent", "subscription_details", "subscription"),
        Amount = ContractEvents.Money(amount, o.Text("currency")),
        Currency = o.Text("currency"),
        Status = o.Text("status"),
    }, o), o.Text("id"));

    /// <summary>The merchant named in the object's metadata, and when the webhook arrived: the base fields of seed 000.</summary>
    private readonly record struct StripeContext(string? MerchantId, string? MerchantDomain, DateTimeOffset ReceivedAt)
    {
        public T Fill<T>(T data, JsonNode o) where T : PaymentProviderEvent => data with
        {
            MerchantId = MerchantId,
            MerchantDomain = MerchantDomain,
            StripeObjectId = o.Text("id"),
            Created = o.Long("created"),
            Provider = "stripe",
            Timestamp = ReceivedAt,
        };
    }
}
