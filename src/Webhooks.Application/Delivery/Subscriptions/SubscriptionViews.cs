using System.Text.Json;

namespace Webhooks.Application.Delivery.Subscriptions;

/// <summary>A subscription as created or changed through the API (every field optional in a PUT).</summary>
public sealed class SubscriptionInput
{
    public string? Url { get; set; }
    public List<string>? Events { get; set; }
    public string? Secret { get; set; }
    public string? Description { get; set; }
    public bool? IsActive { get; set; }
    public Dictionary<string, string>? Headers { get; set; }
    public int? RetryCount { get; set; }
    public int? TimeoutSeconds { get; set; }
    public string? SignatureScheme { get; set; }

    /// <summary>Also deliver the inbound-mapped events of webhooks.events that match.</summary>
    public bool? IncludeInbound { get; set; }

    /// <summary>The User-Agent its requests carry (a partner's receiver may check it); default Webhooks/{version}.</summary>
    public string? UserAgent { get; set; }

    /// <summary>Sent as X-Webhook-Version when set.</summary>
    public string? ApiVersion { get; set; }

    /// <summary>Its own retry delays in seconds (1–20 of them, each 1–86,400); replaces the default schedule and retry_count. [] returns to the default.</summary>
    public List<int>? RetrySchedule { get; set; }

    /// <summary>retryable (the default: timeouts, connection errors, 408, 429, 5xx) or any_non_2xx.</summary>
    public string? RetryOn { get; set; }

    /// <summary>An <see cref="Webhooks.Domain.Delivery.EventFilter"/> on the event's type and data; {} removes it.</summary>
    public JsonElement? Filter { get; set; }

    /// <summary>The application it belongs to (id or uid), on creation through /api/v1/subscriptions; default: the application 'default'.</summary>
    public string? ApplicationId { get; set; }
}

/// <param name="RetryCount">How many retries follow a failed attempt: the length of <paramref name="RetrySchedule"/> when it has one.</param>
public sealed record SubscriptionView(
    Guid Id, string Url, IReadOnlyList<string> Events, string? Description, bool IsActive, IReadOnlyDictionary<string, string> Headers,
    int RetryCount, int TimeoutSeconds, string SignatureScheme, bool IncludeInbound, long SuccessCount, long FailureCount,
    DateTimeOffset? LastTriggeredAt, string? LastError, DateTimeOffset? DisabledAt, string? DisabledReason,
    IReadOnlyList<SecretHint> Secrets, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    string UserAgent, string? ApiVersion, IReadOnlyList<int>? RetrySchedule, string RetryOn, Guid ApplicationId, JsonElement? Filter)
{
    /// <summary>The full secret: only in the answer that created it (creation, rotation).</summary>
    public string? Secret { get; init; }
}

public sealed record SecretHint(Guid Id, string Hint, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

/// <summary>
/// One attempt (or test send) in a subscription's log; the response body is cut at 1,000 characters. <c>payload</c>
/// is the body that was sent.
/// </summary>
public sealed record AttemptLog(Guid Id, string Event, int Attempt, int? StatusCode, int ResponseTimeMs, string? ResponseBody, string? Error, DateTimeOffset CreatedAt, Guid? DeliveryId)
{
    public System.Text.Json.JsonElement? Payload { get; init; }
}

public sealed record TestSendResult(bool Success, int? StatusCode, int ResponseTimeMs, string? ResponseBody, string? Error);

public sealed record SubscriptionPage(IReadOnlyList<SubscriptionView> Items, string? NextCursor);
