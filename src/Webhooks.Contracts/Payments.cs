using System.Text.Json;
using System.Text.Json.Serialization;

namespace Webhooks.Contracts;

// The data of payment providers' events (Stripe, PayPal). Seed 000's Stripe fields are a floor: amounts are Stripe's
// integers in minor units, currencies as Stripe spells them (lower case), times Stripe's Unix seconds; seed 002's are
// added where the name is free (metadata, provider, failure_reason, current_period_start, amount_paid …). The
// normalised fields of earlier versions stay as additions (payment_id, amount_decimal …). docs/adr/0010.

/// <summary>Fields of Stripe's objects as seed 000 published them (PayPal leaves the Stripe-only ones empty).</summary>
public abstract record PaymentProviderEvent : EventData
{
    /// <summary>From the Stripe object's metadata.merchant_id.</summary>
    [JsonPropertyName("merchant_id")] public string? MerchantId { get; init; }

    /// <summary>From the Stripe object's metadata.merchant_domain.</summary>
    [JsonPropertyName("merchant_domain")] public string? MerchantDomain { get; init; }

    /// <summary>The id of the object the event is about.</summary>
    [JsonPropertyName("stripe_object_id")] public string? StripeObjectId { get; init; }

    /// <summary>The object's creation time, Stripe's Unix seconds.</summary>
    [JsonPropertyName("created")] public long? Created { get; init; }

    /// <summary>The provider, spelled as seed 002 spells it: stripe, paypal.</summary>
    [JsonPropertyName("provider")] public string? Provider { get; init; }

    /// <summary>When the gateway received the webhook (seed 002's processing time).</summary>
    [JsonPropertyName("timestamp")] public DateTimeOffset? Timestamp { get; init; }
}

/// <summary>
/// A payment, from Stripe (a payment intent or a charge) or PayPal (a capture); the CloudEvent's <c>provider</c> says
/// which. <c>amount</c> is an integer in the currency's minor units (Stripe's; PayPal's decimal converted), and
/// <c>amount_decimal</c> the same amount as a decimal string in major units.
/// </summary>
public abstract record Payment : PaymentProviderEvent
{
    [JsonPropertyName("payment_intent_id")] public string? PaymentIntentId { get; init; }

    [JsonPropertyName("amount")] public long? Amount { get; init; }

    /// <summary>As the provider spells it, lower case (Stripe's usd, gbp).</summary>
    [JsonPropertyName("currency")] public string? Currency { get; init; }

    [JsonPropertyName("status")] public string? Status { get; init; }

    [JsonPropertyName("customer_id")] public string? CustomerId { get; init; }

    /// <summary>The payment object's metadata (seed 002).</summary>
    [JsonPropertyName("metadata")] public JsonElement? Metadata { get; init; }

    /// <summary>The payment's id whatever the provider (the intent, the charge or the capture).</summary>
    [JsonPropertyName("payment_id")] public string? PaymentId { get; init; }

    [JsonPropertyName("amount_decimal")] public string? AmountDecimal { get; init; }

    [JsonPropertyName("invoice_id")] public string? InvoiceId { get; init; }
}

public sealed record PaymentSucceeded : Payment
{
    [JsonPropertyName("payment_method")] public string? PaymentMethod { get; init; }
}

public sealed record PaymentFailed : Payment
{
    /// <summary>Why it failed: last_payment_error.message (seed 002).</summary>
    [JsonPropertyName("failure_reason")] public string? FailureReason { get; init; }

    [JsonPropertyName("payment_method")] public string? PaymentMethod { get; init; }

    [JsonPropertyName("failure_message")] public string? FailureMessage { get; init; }
}

/// <summary>Money went back: <c>amount</c> is what was refunded.</summary>
public sealed record PaymentRefunded : Payment
{
    [JsonPropertyName("refund_id")] public string? RefundId { get; init; }
}

/// <summary>A recurring subscription, from Stripe or PayPal.</summary>
public abstract record Subscription : PaymentProviderEvent
{
    [JsonPropertyName("subscription_id")] public string? SubscriptionId { get; init; }

    [JsonPropertyName("customer_id")] public string? CustomerId { get; init; }

    [JsonPropertyName("status")] public string? Status { get; init; }

    /// <summary>The price of the first item (Stripe), the plan (PayPal).</summary>
    [JsonPropertyName("plan_id")] public string? PlanId { get; init; }

    /// <summary>Unix seconds (Stripe's integer).</summary>
    [JsonPropertyName("current_period_start")] public long? CurrentPeriodStart { get; init; }

    /// <summary>Unix seconds (Stripe's integer).</summary>
    [JsonPropertyName("current_period_end")] public long? CurrentPeriodEnd { get; init; }

    [JsonPropertyName("email")] public string? Email { get; init; }

    [JsonPropertyName("cancel_at_period_end")] public bool? CancelAtPeriodEnd { get; init; }
}

public sealed record SubscriptionCreated : Subscription;

public sealed record SubscriptionUpdated : Subscription;

public sealed record SubscriptionCancelled : Subscription;

/// <summary>A Stripe invoice.</summary>
public abstract record Invoice : PaymentProviderEvent
{
    [JsonPropertyName("invoice_id")] public string? InvoiceId { get; init; }

    [JsonPropertyName("customer_id")] public string? CustomerId { get; init; }

    [JsonPropertyName("subscription_id")] public string? SubscriptionId { get; init; }

    /// <summary>Paid, or due when the payment failed, as a decimal string in major units.</summary>
    [JsonPropertyName("amount")] public string? Amount { get; init; }

    /// <summary>As Stripe spells it, lower case.</summary>
    [JsonPropertyName("currency")] public string? Currency { get; init; }

    [JsonPropertyName("status")] public string? Status { get; init; }
}

public sealed record InvoicePaid : Invoice
{
    /// <summary>What was paid, a number in major units (seed 002).</summary>
    [JsonPropertyName("amount_paid")] public decimal? AmountPaid { get; init; }
}

public sealed record InvoicePaymentFailed : Invoice
{
    [JsonPropertyName("attempt_count")] public int? AttemptCount { get; init; }

    [JsonPropertyName("next_payment_attempt")] public DateTimeOffset? NextPaymentAttempt { get; init; }
}
