namespace Webhooks.Domain.Sources;

/// <summary>One signing secret of a source, stored encrypted; only its hint is ever shown.</summary>
public sealed class SourceSecret
{
    private SourceSecret()
    {
    }

    public Guid Id { get; private set; }
    public string SourceName { get; private set; } = "";

    /// <summary>The secret as encrypted by the application; the aggregate never sees it in clear.</summary>
    public string Protected { get; private set; } = "";

    public string Hint { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? ExpiresAt { get; private set; }

    public static SourceSecret Create(Guid id, string protectedSecret, string hint, DateTimeOffset now) => new()
    {
        Id = id,
        Protected = protectedSecret,
        Hint = hint,
        CreatedAt = now,
    };

    /// <summary>Whether a delivery signed with it is still accepted at <paramref name="now"/>.</summary>
    public bool IsActive(DateTimeOffset now) => ExpiresAt is null || ExpiresAt > now;

    /// <summary>Accepted at most until <paramref name="at"/> (an earlier expiry stands).</summary>
    internal void ExpireBy(DateTimeOffset at)
    {
        if (ExpiresAt is null || ExpiresAt > at)
        {
            ExpiresAt = at;
        }
    }

    internal void AttachTo(string sourceName) => SourceName = sourceName;
}
