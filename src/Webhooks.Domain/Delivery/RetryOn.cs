namespace Webhooks.Domain.Delivery;

/// <summary>What a subscription's failed attempts are retried for.</summary>
public static class RetryOn
{
    /// <summary>Timeouts, connection errors, 408, 429 and 5xx (the default, Standard Webhooks').</summary>
    public const string Retryable = "retryable";

    /// <summary>Any answer that is not a 2xx, 4xx included (what some partners' senders do); 410 still disables.</summary>
    public const string AnyNon2xx = "any_non_2xx";

    public static readonly IReadOnlyList<string> All = [Retryable, AnyNon2xx];
}
