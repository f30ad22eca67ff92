using Webhooks.Domain.Common;

namespace Webhooks.Domain.Sources;

/// <summary>
/// An inbound source as stored and administered: its provider, its settings (kept as the JSON the application writes,
/// secrets excluded), where it was defined, and its secrets with their rules — rotation with an overlap, and never
/// removing the last secret a delivery could still be verified with.
/// </summary>
public sealed class Source : AggregateRoot
{
    /// <summary>Defined in configuration and seeded at start-up.</summary>
    public const string FromConfiguration = "configuration";

    /// <summary>Created through the admin API.</summary>
    public const string FromApi = "api";

    private readonly List<SourceSecret> secrets = [];
    private readonly List<SourceCredential> credentials = [];

    private Source()
    {
    }

    /// <summary>The URL segment, [a-z0-9-]+.</summary>
    public string Name { get; private set; } = "";

    public string Provider { get; private set; } = "";

    /// <summary>The settings without secrets, as JSON (ExpectedEvery, tolerance, limits, the hmac scheme…).</summary>
    public string Settings { get; private set; } = "{}";

    public string Origin { get; private set; } = FromApi;

    /// <summary>The encrypted fingerprint of the configured definition last seeded, for sources from configuration.</summary>
    public string? ConfigHash { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<SourceSecret> Secrets => secrets;

    /// <summary>What its backfill calls the provider's API with, one of each name at most.</summary>
    public IReadOnlyList<SourceCredential> Credentials => credentials;

    public static Source Create(string name, string provider, string settings, IEnumerable<SourceSecret> initialSecrets, DateTimeOffset now)
    {
        var source = new Source { Name = name, Provider = provider.ToLowerInvariant(), Settings = settings, Origin = FromApi, CreatedAt = now, UpdatedAt = now };
        source.Add(initialSecrets);
        source.Raise(new SourceChanged(name));
        return source;
    }

    /// <summary>New settings; a non-empty <paramref name="replacementSecrets"/> replaces every secret.</summary>
    public void Change(string provider, string settings, IReadOnlyList<SourceSecret> replacementSecrets, DateTimeOffset now)
    {
        Provider = provider.ToLowerInvariant();
        Settings = settings;
        if (replacementSecrets.Count > 0)
        {
            secrets.Clear();
            Add(replacementSecrets);
        }

        Touch(now);
    }

    /// <summary>
    /// Adds <paramref name="secret"/>; with <paramref name="retirePreviousAt"/> the others are accepted only until then
    /// (one expiring sooner keeps its expiry), without it they stay until removed.
    /// </summary>
    public void RotateSecret(SourceSecret secret, DateTimeOffset? retirePreviousAt, DateTimeOffset now)
    {
        if (retirePreviousAt is { } at)
        {
            foreach (var current in secrets)
            {
                current.ExpireBy(at);
            }
        }

        Add([secret]);
        Touch(now);
    }

    /// <summary>Adds <paramref name="secret"/>; the others are accepted for <paramref name="overlap"/> more.</summary>
    public void RotateSecret(SourceSecret secret, TimeSpan overlap, DateTimeOffset now) => RotateSecret(secret, now + overlap, now);

    /// <summary>
    /// Removes a secret, unless no other would still verify deliveries (that would turn every one away).
    /// </summary>
    /// <returns>False when it is the last active one; nothing changes then.</returns>
    /// <exception cref="KeyNotFoundException">The source has no such secret.</exception>
    public bool RemoveSecret(Guid id, DateTimeOffset now)
    {
        var secret = secrets.Find(s => s.Id == id) ?? throw new KeyNotFoundException($"No secret {id}.");
        if (!secrets.Any(s => s.Id != id && s.IsActive(now)))
        {
            return false;
        }

        secrets.Remove(secret);
        Touch(now);
        return true;
    }

    /// <summary>Sets the backfill credential of <paramref name="credential"/>'s name, replacing the one it had.</summary>
    public void SetCredential(SourceCredential credential, DateTimeOffset now)
    {
        credentials.RemoveAll(c => c.Name == credential.Name);
        credential.AttachTo(Name);
        credentials.Add(credential);
        Touch(now);
    }

    /// <summary>Removes the backfill credential of that name, if the source has one.</summary>
    public void RemoveCredential(string name, DateTimeOffset now)
    {
        if (credentials.RemoveAll(c => c.Name == name) > 0)
        {
            Touch(now);
        }
    }

    /// <summary>The source is about to be deleted: every instance stops serving it.</summary>
    public void Remove() => Raise(new SourceChanged(Name));

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Raise(new SourceChanged(Name));
    }

    private void Add(IEnumerable<SourceSecret> added)
    {
        foreach (var secret in added)
        {
            secret.AttachTo(Name);
            secrets.Add(secret);
        }
    }
}
