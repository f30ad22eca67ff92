using System.Text.Json.Serialization;

namespace Webhooks.Contracts;

/// <summary>
/// A payment, from Stripe (a payment intent or a charge) or PayPal (a capture); the CloudEvent's <c>provider</c> says
/// which. <c>amount</c> is a decimal string in major units of <c>currency</c> (Stripe's minor units converted).
/// </summary>
public abstract record Payment : EventData
{
    [JsonPropertyName("payment_id")] public string? PaymentId { get; init; }

    [JsonPropertyName("amount")] public string? Amount { get; init; }

    [JsonPropertyName("currency")] public string? Currency { get; init; }

    [JsonPropertyName("status")] public string? Status { get; init; }

    [JsonPropertyName("customer_id")] public string? CustomerId { get; init; }

    [JsonPropertyName("invoice_id")] public string? InvoiceId { get; init; }
}

public sealed record PaymentSucceeded : Payment
{
    [JsonPropertyName("payment_method")] public string? PaymentMethod { get; init; }
}

public sealed record PaymentFailed : Payment
{
    [JsonPropertyName("payment_method")] public string? PaymentMethod { get; init; }

    [JsonPropertyName("failure_message")] public string? FailureMessage { get; init; }
}

/// <summary>Money went back: <c>amount</c> is what was refunded.</summary>
public sealed record PaymentRefunded : Payment
{
    [JsonPropertyName("refund_id")] public string? RefundId { get; init; }
}

/// <summary>A recurring subscription, from Stripe or PayPal.</summary>
public abstract record Subscription : EventData
{
    [JsonPropertyName("subscription_id")] public string? SubscriptionId { get; init; }

    [JsonPropertyName("customer_id")] public string? CustomerId { get; init; }

    [JsonPropertyName("email")] public string? Email { get; init; }

    [JsonPropertyName("status")] public string? Status { get; init; }

    [JsonPropertyName("plan_id")] public string? PlanId { get; init; }

    [JsonPropertyName("current_period_end")] public DateTimeOffset? CurrentPeriodEnd { get; init; }

    [JsonPropertyName("cancel_at_period_end")] public bool? CancelAtPeriodEnd { get; init; }
}

public sealed record SubscriptionCreated : Subscription;

public sealed record SubscriptionUpdated : Subscription;

public sealed record SubscriptionCancelled : Subscription;

/// <summary>A Stripe invoice; <c>amount</c> is a decimal string in major units (paid, or due when it failed).</summary>
public abstract record Invoice : EventData
{
    [JsonPropertyName("invoice_id")] public string? InvoiceId { get; init; }

    [JsonPropertyName("customer_id")] public string? CustomerId { get; init; }

    [JsonPropertyName("subscription_id")] public string? SubscriptionId { get; init; }

    [JsonPropertyName("amount")] public string? Amount { get; init; }

    [JsonPropertyName("currency")] public string? Currency { get; init; }

    [JsonPropertyName("status")] public string? Status { get; init; }
}

public sealed record InvoicePaid : Invoice;

public sealed record InvoicePaymentFailed : Invoice
{
    [JsonPropertyName("attempt_count")] public int? AttemptCount { get; init; }

    [JsonPropertyName("next_payment_attempt")] public DateTimeOffset? NextPaymentAttempt { get; init; }
}
