using Webhooks.Domain.Common;

namespace Webhooks.Domain.Delivery;

/// <summary>One signing secret of a subscription, stored encrypted; only its hint is ever shown.</summary>
public sealed class SubscriptionSecret : ProtectedSecret
{
    private SubscriptionSecret()
    {
    }

    public Guid SubscriptionId { get; private set; }

    public static SubscriptionSecret Create(Guid id, string protectedSecret, string hint, DateTimeOffset now) => new()
    {
        Id = id,
        Protected = protectedSecret,
        Hint = hint,
        CreatedAt = now,
    };

    internal void AttachTo(Guid subscriptionId) => SubscriptionId = subscriptionId;
}
