using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Webhooks.Domain.Common;

namespace Webhooks.Domain.Tenants;

/// <summary>
/// An application, in the API's words (contract v3, "Tenants, filters and the partner portal"): the subscriptions of
/// one customer of the gateway's users, the keys that may act for it and the portal links it hands out. Events
/// published to it reach its subscriptions only. What existed before applications belongs to <see cref="DefaultId"/>.
/// </summary>
public sealed partial class Tenant : AggregateRoot
{
    /// <summary>The application 'default' (created by the migration that introduced applications).</summary>
    public static readonly Guid DefaultId = new("00000000-0000-7000-8000-000000000001");

    public const string DefaultUid = "default";

    private readonly List<TenantKey> keys = [];
    private readonly List<PortalLink> portalLinks = [];

    private Tenant()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>The caller's own identifier for the application (unique); the API takes it wherever it takes the id.</summary>
    public string Uid { get; private set; } = "";

    public string Name { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public IReadOnlyList<TenantKey> Keys => keys;

    public IReadOnlyList<PortalLink> PortalLinks => portalLinks;

    public bool IsDefault => Id == DefaultId;

    /// <exception cref="ArgumentException">The uid or name is not acceptable (see <see cref="UidProblem"/>).</exception>
    public static Tenant Create(Guid id, string? uid, string name, DateTimeOffset now)
    {
        var chosen = uid ?? "app_" + id.ToString("N");
        if (UidProblem(chosen) is { } problem)
        {
            throw new ArgumentException(problem, nameof(uid));
        }

        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
        {
            throw new ArgumentException("name must be 1 to 200 characters.", nameof(name));
        }

        return new Tenant { Id = id, Uid = chosen, Name = name.Trim(), CreatedAt = now };
    }

    /// <summary>Why a uid cannot be used, or null: 1–64 of a-z A-Z 0-9 . _ -, not shaped like a UUID (ids and uids share the routes).</summary>
    public static string? UidProblem(string uid) =>
        !UidShape().IsMatch(uid) ? "uid must be 1 to 64 characters of letters, digits, '.', '_' and '-'."
        : Guid.TryParse(uid, out _) ? "uid must not look like an id (a UUID)."
        : null;

    /// <summary>A new key for the application; the answer is the key itself, the only time it exists outside a hash.</summary>
    public (TenantKey Key, string Secret) AddKey(string name, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
        {
            throw new ArgumentException("name must be 1 to 200 characters.", nameof(name));
        }

        var secret = TenantKey.Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var key = TenantKey.Create(Guid.CreateVersion7(now), Id, name.Trim(), secret, now);
        keys.Add(key);
        return (key, secret);
    }

    /// <returns>False when the application has no such key.</returns>
    public bool RemoveKey(Guid keyId) => keys.RemoveAll(k => k.Id == keyId) > 0;

    /// <summary>A link that opens the portal for this application until <paramref name="expiresAt"/>; the answer carries its token, shown once.</summary>
    public (PortalLink Link, string Token) OpenPortalLink(DateTimeOffset expiresAt, bool readOnly, DateTimeOffset now)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var link = PortalLink.Create(Guid.CreateVersion7(now), Id, Hash(token), readOnly, expiresAt, now);
        portalLinks.Add(link);
        return (link, token);
    }

    /// <returns>False when the application has no such link.</returns>
    public bool RevokePortalLink(Guid linkId, DateTimeOffset now)
    {
        var link = portalLinks.Find(l => l.Id == linkId);
        link?.Revoke(now);
        return link is not null;
    }

    /// <summary>The SHA-256 a key or portal token is kept and looked up by.</summary>
    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}\z")]
    private static partial Regex UidShape();
}
