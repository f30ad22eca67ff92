namespace Webhooks.Application.Sources;

/// <summary>
/// Webhooks:Sources:{name}:Backfill — how the gateway recovers what the provider never resends (contract v3,
/// "Providers that never retry"). GitHub: the hook whose failed deliveries it asks to redeliver, and a token or an
/// app's id and private key; Stripe: an API key and the event types it imports. <see cref="Token"/>,
/// <see cref="ApiKey"/> and <see cref="PrivateKey"/> are secrets: stored encrypted apart from the settings, never
/// returned or logged.
/// </summary>
public sealed class BackfillSettings
{
    /// <summary>The provider's API (default https://api.github.com or https://api.stripe.com); follows the outbound destination rules.</summary>
    public string? ApiBaseUrl { get; set; }

    /// <summary>GitHub: a token that may read and redeliver the hook's deliveries (repository or organisation hooks).</summary>
    public string? Token { get; set; }

    /// <summary>GitHub: the repository's owner, with <see cref="Repo"/> and <see cref="HookId"/>.</summary>
    public string? Owner { get; set; }

    public string? Repo { get; set; }

    /// <summary>GitHub: the organisation, with <see cref="HookId"/>.</summary>
    public string? Org { get; set; }

    /// <summary>GitHub: the hook's id (the X-GitHub-Hook-ID header of its deliveries).</summary>
    public long? HookId { get; set; }

    /// <summary>GitHub: an app's id (or client id), with <see cref="PrivateKey"/>: the app's own hook, through a JWT.</summary>
    public string? AppId { get; set; }

    /// <summary>GitHub: the app's private key (PEM) the JWT is signed with.</summary>
    public string? PrivateKey { get; set; }

    /// <summary>Stripe: a secret or restricted key that may list events.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Stripe: the event types imported (default: the types the gateway maps); at most 20.</summary>
    public List<string>? Types { get; set; }

    /// <summary>The secrets it carries, by credential name (only those set).</summary>
    public IReadOnlyDictionary<string, string> Credentials()
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(Token))
        {
            found[Domain.Sources.SourceCredential.Token] = Token;
        }

        if (!string.IsNullOrEmpty(ApiKey))
        {
            found[Domain.Sources.SourceCredential.ApiKey] = ApiKey;
        }

        if (!string.IsNullOrEmpty(PrivateKey))
        {
            found[Domain.Sources.SourceCredential.PrivateKey] = PrivateKey;
        }

        return found;
    }

    /// <summary>The credential names <paramref name="patch"/> asks to remove: those it sets to an empty string.</summary>
    public static IReadOnlyList<string> Cleared(BackfillSettings? patch) => patch is null
        ? []
        : new (string Name, string? Value)[] { (Domain.Sources.SourceCredential.Token, patch.Token), (Domain.Sources.SourceCredential.ApiKey, patch.ApiKey), (Domain.Sources.SourceCredential.PrivateKey, patch.PrivateKey) }
            .Where(c => c.Value is { Length: 0 }).Select(c => c.Name).ToList();

    /// <summary>These settings overlaid with every field <paramref name="patch"/> sets.</summary>
    public BackfillSettings Merge(BackfillSettings? patch) => new()
    {
        ApiBaseUrl = patch?.ApiBaseUrl ?? ApiBaseUrl,
        Token = patch?.Token ?? Token,
        Owner = patch?.Owner ?? Owner,
        Repo = patch?.Repo ?? Repo,
        Org = patch?.Org ?? Org,
        HookId = patch?.HookId ?? HookId,
        AppId = patch?.AppId ?? AppId,
        PrivateKey = patch?.PrivateKey ?? PrivateKey,
        ApiKey = patch?.ApiKey ?? ApiKey,
        Types = patch?.Types is { } types ? [.. types] : Types is { } kept ? [.. kept] : null,
    };

    /// <summary>The same settings without the secrets (what the sources table keeps in its settings).</summary>
    public BackfillSettings WithoutCredentials()
    {
        var copy = new BackfillSettings().Merge(this);
        copy.Token = null;
        copy.ApiKey = null;
        copy.PrivateKey = null;
        return copy;
    }
}
