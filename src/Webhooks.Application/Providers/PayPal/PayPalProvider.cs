using System.Text.Json.Nodes;
using Webhooks.Application.Common.Json;
using Webhooks.Application.Ingestion;
using Webhooks.Contracts;
using Webhooks.Domain.Events;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Providers.PayPal;

/// <summary>PayPal events: event_type, create_time and the resource come from the body.</summary>
public sealed class PayPalProvider : IWebhookProvider
{
    private static readonly Dictionary<string, Func<JsonNode?, MappedEvent>> Mappings = new(StringComparer.Ordinal)
    {
        ["PAYMENT.CAPTURE.COMPLETED"] = r => Capture(new PaymentSucceeded(), r),
        ["PAYMENT.CAPTURE.DENIED"] = r => Capture(new PaymentFailed(), r),
        ["PAYMENT.CAPTURE.REFUNDED"] = r => ContractEvents.Event(Money(new PaymentRefunded
        {
            PaymentId = CapturedBy(r),
            RefundId = r.Text("id"),
            Status = r.Text("status"),
            InvoiceId = r.Text("invoice_id"),
        }, r), r.Text("id")),
        ["BILLING.SUBSCRIPTION.CREATED"] = r => Subscription(new SubscriptionCreated(), r),
        ["BILLING.SUBSCRIPTION.CANCELLED"] = r => Subscription(new SubscriptionCancelled(), r),
    };

    public ProviderKind Kind => ProviderKind.PayPal;

    public SignatureCheck Verify(WebhookRequest request, WebhookSource source, DateTimeOffset now) => PayPalSignature.Verify(request, source, now);

    public WebhookInterpretation Interpret(WebhookRequest request, WebhookSource source)
    {
        var body = Signatures.ParseJsonObject(request.Body);
        var type = body.Text("event_type");
        var key = request.Header(PayPalSignature.IdHeader) ?? body.Text("id") ?? Signatures.BodyKey(request.Body);
        return new WebhookInterpretation(type, key, body, []) { ProviderTime = Signatures.ParseTime(body.Text("create_time")) }
            .Mapped(() => type is not null && Mappings.TryGetValue(type, out var map) ? map(body.Path("resource")) : null);
    }

    private static MappedEvent Capture<T>(T payment, JsonNode? r) where T : Payment => ContractEvents.Event(Money(payment with
    {
        PaymentId = r.Text("id"),
        Status = r.Text("status"),
        InvoiceId = r.Text("invoice_id"),
    }, r), r.Text("id"));

    /// <summary>
    /// PayPal's amount in the payment schema the Stripe events set: an integer in minor units, the currency in lower
    /// case, and the decimal as PayPal sent it beside them.
    /// </summary>
    private static T Money<T>(T payment, JsonNode? r) where T : Payment => payment with
    {
        Amount = ContractEvents.MinorUnits(r.Text("amount", "value"), r.Text("amount", "currency_code")),
        AmountDecimal = r.Text("amount", "value"),
        Currency = r.Text("amount", "currency_code")?.ToLowerInvariant(),
        Provider = "paypal",
    };

    private static MappedEvent Subscription<T>(T subscription, JsonNode? r) where T : Contracts.Subscription => ContractEvents.Event(subscription with
    {
        SubscriptionId = r.Text("id"),
        PlanId = r.Text("plan_id"),
        Status = r.Text("status"),
        Email = r.Text("subscriber", "email_address"),
        CustomerId = r.Text("subscriber", "payer_id"),
        CurrentPeriodEnd = Signatures.ParseTime(r.Text("billing_info", "next_billing_time"))?.ToUnixTimeSeconds(),
        Provider = "paypal",
    }, r.Text("id"));

    /// <summary>The capture a refund returns money from: its "up" link.</summary>
    private static string? CapturedBy(JsonNode? refund) =>
        (refund.Path("links") as JsonArray)?.FirstOrDefault(l => l.Text("rel") == "up")?.Text("href")?.Split('/').LastOrDefault();
}
