namespace Webhooks.Domain.Common;

/// <summary>
/// A signing secret as an aggregate keeps it: encrypted by the application (the Domain never sees it in clear), shown
/// only by its hint, and valid until an optional expiry. Sources and subscriptions each own a list of them.
/// </summary>
public abstract class ProtectedSecret
{
    public Guid Id { get; protected set; }

    /// <summary>The secret as encrypted by the application; the aggregate never sees it in clear.</summary>
    public string Protected { get; protected set; } = "";

    public string Hint { get; protected set; } = "";
    public DateTimeOffset CreatedAt { get; protected set; }
    public DateTimeOffset? ExpiresAt { get; protected set; }

    /// <summary>Whether it still signs, or still verifies, at <paramref name="now"/>.</summary>
    public bool IsActive(DateTimeOffset now) => ExpiresAt is null || ExpiresAt > now;

    /// <summary>Valid at most until <paramref name="at"/> (an earlier expiry stands).</summary>
    internal void ExpireBy(DateTimeOffset at)
    {
        if (ExpiresAt is null || ExpiresAt > at)
        {
            ExpiresAt = at;
        }
    }
}
