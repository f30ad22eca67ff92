namespace Webhooks.Domain.Tenants;

/// <summary>
/// A link to the partner portal for one application: its token's SHA-256, its expiry, whether it may change anything.
/// It can be opened again until it expires; revoking it also ends every session it opened.
/// </summary>
public sealed class PortalLink
{
    public const int MaxLifetimeSeconds = 604_800;

    private PortalLink()
    {
    }

    public Guid Id { get; private set; }

    public Guid ApplicationId { get; private set; }

    public byte[] TokenHash { get; private set; } = [];

    public bool ReadOnly { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Whether the link (and the sessions it opened) still works at <paramref name="now"/>.</summary>
    public bool IsUsable(DateTimeOffset now) => RevokedAt is null && now < ExpiresAt;

    internal static PortalLink Create(Guid id, Guid application, byte[] tokenHash, bool readOnly, DateTimeOffset expiresAt, DateTimeOffset now) => new()
    {
        Id = id,
        ApplicationId = application,
        TokenHash = tokenHash,
        ReadOnly = readOnly,
        ExpiresAt = expiresAt,
        CreatedAt = now,
    };

    internal void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}
