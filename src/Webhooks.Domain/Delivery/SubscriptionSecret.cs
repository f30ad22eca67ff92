namespace Webhooks.Domain.Delivery;

/// <summary>One signing secret of a subscription, stored encrypted; only its hint is ever shown.</summary>
public sealed class SubscriptionSecret
{
    private SubscriptionSecret()
    {
    }

    public Guid Id { get; private set; }
    public Guid SubscriptionId { get; private set; }

    /// <summary>The secret as encrypted by the application; the aggregate never sees it in clear.</summary>
    public string Protected { get; private set; } = "";

    public string Hint { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? ExpiresAt { get; private set; }

    public static SubscriptionSecret Create(Guid id, string protectedSecret, string hint, DateTimeOffset now) => new()
    {
        Id = id,
        Protected = protectedSecret,
        Hint = hint,
        CreatedAt = now,
    };

    /// <summary>Signs at most until <paramref name="at"/> (an earlier expiry stands).</summary>
    internal void ExpireBy(DateTimeOffset at)
    {
        if (ExpiresAt is null || ExpiresAt > at)
        {
            ExpiresAt = at;
        }
    }

    internal void AttachTo(Guid subscriptionId) => SubscriptionId = subscriptionId;
}
