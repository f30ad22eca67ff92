namespace Webhooks.Domain.Tenants;

/// <summary>A key that may act for one application: publish to it, manage its subscriptions and deliveries. Kept as its SHA-256.</summary>
public sealed class TenantKey
{
    /// <summary>Every application key starts so; a presented key of another shape is no application key (and costs no lookup).</summary>
    public const string Prefix = "whk_";

    /// <summary>The prefix and 32 random bytes, base64url.</summary>
    public const int Length = 47;

    private TenantKey()
    {
    }

    public Guid Id { get; private set; }

    public Guid ApplicationId { get; private set; }

    public string Name { get; private set; } = "";

    public byte[] KeyHash { get; private set; } = [];

    /// <summary>The key's last four characters, to tell keys apart.</summary>
    public string Hint { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    internal static TenantKey Create(Guid id, Guid application, string name, string secret, DateTimeOffset now) => new()
    {
        Id = id,
        ApplicationId = application,
        Name = name,
        KeyHash = Tenant.Hash(secret),
        Hint = "…" + secret[^4..],
        CreatedAt = now,
    };
}
