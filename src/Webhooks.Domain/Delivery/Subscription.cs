using Webhooks.Domain.Common;

namespace Webhooks.Domain.Delivery;

/// <summary>What a subscription is set to: everything an operator chooses (the headers already encrypted).</summary>
public sealed record SubscriptionSettings(
    string Url,
    IReadOnlyList<string> Events,
    string? Description,
    string ProtectedHeaders,
    int RetryCount,
    int TimeoutSeconds,
    string SignatureScheme,
    bool IncludeInbound,
    string? UserAgent = null,
    string? ApiVersion = null,
    IReadOnlyList<int>? RetrySchedule = null,
    string RetryOn = Delivery.RetryOn.Retryable,
    string? Filter = null);

/// <summary>
/// A subscriber's endpoint and the rules of its life (docs/contract.md, Outbound delivery): its counters and failure
/// streak, the automatic disabling (<see cref="AutoDisableRule"/>), the resets when an operator re-enables it, the
/// window a replay covers, and secret rotation with an overlap.
/// </summary>
public sealed class Subscription : AggregateRoot
{
    public const int DefaultRetryCount = 7;
    public const int DefaultTimeoutSeconds = 30;
    public const string DisabledByOperator = "disabled by an operator";

    /// <summary>How far back a replay reaches when neither the operator nor a disabling says.</summary>
    public static readonly TimeSpan DefaultReplayWindow = TimeSpan.FromDays(1);

    private readonly List<SubscriptionSecret> secrets = [];

    private Subscription()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>The application it belongs to: it receives the events published to that application only.</summary>
    public Guid ApplicationId { get; private set; }

    /// <summary>Its <see cref="EventFilter"/> as JSON, or null: every event its patterns match.</summary>
    public string? Filter { get; private set; }
    public string Url { get; private set; } = "";
    public string[] Events { get; private set; } = [];
    public string? Description { get; private set; }
    public bool IsActive { get; private set; }

    /// <summary>The custom headers as encrypted by the application (they carry receivers' credentials).</summary>
    public string Headers { get; private set; } = "{}";

    public int RetryCount { get; private set; }
    public int TimeoutSeconds { get; private set; }
    public string SignatureScheme { get; private set; } = "";
    public bool IncludeInbound { get; private set; }

    /// <summary>The User-Agent its requests carry; null: the gateway's own (Webhooks/{version}).</summary>
    public string? UserAgent { get; private set; }

    /// <summary>Sent as X-Webhook-Version when set.</summary>
    public string? ApiVersion { get; private set; }

    /// <summary>Its own retry delays in seconds, replacing the default schedule and the retry count; null: the default.</summary>
    public int[]? RetrySchedule { get; private set; }

    /// <summary>What is retried: <see cref="Delivery.RetryOn"/>.</summary>
    public string RetryOn { get; private set; } = Delivery.RetryOn.Retryable;

    /// <summary>How many retries follow a failed first attempt: its own schedule's length, or the retry count.</summary>
    public int Retries => RetrySchedule is { Length: > 0 } own ? own.Length : RetryCount;
    public long SuccessCount { get; private set; }
    public long FailureCount { get; private set; }
    public int ConsecutiveFailures { get; private set; }
    public DateTimeOffset? FailingSince { get; private set; }
    public DateTimeOffset? LastTriggeredAt { get; private set; }
    public string? LastError { get; private set; }
    public DateTimeOffset? DisabledAt { get; private set; }
    public string? DisabledReason { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Oldest first: the single-signature schemes sign with the oldest that has not expired.</summary>
    public IReadOnlyList<SubscriptionSecret> Secrets => secrets;

    public static Subscription Create(Guid id, Guid application, SubscriptionSettings settings, bool active, SubscriptionSecret secret, DateTimeOffset now)
    {
        var subscription = new Subscription { Id = id, ApplicationId = application, IsActive = active, CreatedAt = now };
        subscription.Apply(settings, now);
        secret.AttachTo(id);
        subscription.secrets.Add(secret);
        subscription.Raise(new SubscriptionChanged(id));
        return subscription;
    }

    public void Change(SubscriptionSettings settings, DateTimeOffset now) => Apply(settings, now);

    /// <summary>Re-enabling clears the disabled state and the failure streak: it starts afresh.</summary>
    public void Enable(DateTimeOffset now)
    {
        if (IsActive)
        {
            return;
        }

        IsActive = true;
        Raise(new SubscriptionChanged(Id));
        DisabledAt = null;
        DisabledReason = null;
        ConsecutiveFailures = 0;
        FailingSince = null;
        UpdatedAt = now;
    }

    /// <summary>Stops deliveries; returns false when it was already disabled (nothing changes then).</summary>
    public bool Disable(string reason, DateTimeOffset now)
    {
        if (!IsActive)
        {
            return false;
        }

        IsActive = false;
        Raise(new SubscriptionChanged(Id));
        DisabledAt = now;
        DisabledReason = reason;
        UpdatedAt = now;
        return true;
    }

    /// <summary>
    /// A new secret that signs from now on; the current ones keep signing for <paramref name="overlap"/> (one that
    /// expires sooner keeps its expiry).
    /// </summary>
    public void RotateSecret(SubscriptionSecret secret, TimeSpan overlap, DateTimeOffset now)
    {
        foreach (var current in secrets)
        {
            current.ExpireBy(now + overlap);
        }

        secret.AttachTo(Id);
        secrets.Add(secret);
        UpdatedAt = now;
    }

    /// <summary>Where a replay starts: as asked, else when it was disabled, else <see cref="DefaultReplayWindow"/> ago.</summary>
    public DateTimeOffset ReplaySince(DateTimeOffset? requested, DateTimeOffset now) => requested ?? DisabledAt ?? now - DefaultReplayWindow;

    /// <summary>The subscription is about to be deleted: delivery forgets what it cached about it.</summary>
    public void Remove() => Raise(new SubscriptionChanged(Id));

    private void Apply(SubscriptionSettings settings, DateTimeOffset now)
    {
        Raise(new SubscriptionChanged(Id));
        Url = settings.Url;
        Events = settings.Events.Distinct(StringComparer.Ordinal).ToArray();
        Description = settings.Description;
        Headers = settings.ProtectedHeaders;
        RetryCount = settings.RetryCount;
        TimeoutSeconds = settings.TimeoutSeconds;
        SignatureScheme = settings.SignatureScheme;
        IncludeInbound = settings.IncludeInbound;
        UserAgent = settings.UserAgent;
        ApiVersion = settings.ApiVersion;
        RetrySchedule = settings.RetrySchedule is { Count: > 0 } own ? [.. own] : null;
        RetryOn = settings.RetryOn;
        Filter = settings.Filter;
        UpdatedAt = now;
    }
}
