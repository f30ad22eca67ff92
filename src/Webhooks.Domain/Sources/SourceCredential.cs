using Webhooks.Domain.Common;

namespace Webhooks.Domain.Sources;

/// <summary>
/// A credential a source's backfill calls its provider's API with (a token, an API key, an app's private key), stored
/// encrypted like a signing secret and shown only by its hint; a source holds at most one of each name.
/// </summary>
public sealed class SourceCredential : ProtectedSecret
{
    /// <summary>A GitHub token (Backfill:Token).</summary>
    public const string Token = "token";

    /// <summary>A Stripe secret or restricted key (Backfill:ApiKey).</summary>
    public const string ApiKey = "api_key";

    /// <summary>A GitHub App's private key, PEM (Backfill:PrivateKey).</summary>
    public const string PrivateKey = "private_key";

    public static readonly IReadOnlyList<string> Names = [Token, ApiKey, PrivateKey];

    private SourceCredential()
    {
    }

    public string SourceName { get; private set; } = "";

    /// <summary><see cref="Token"/>, <see cref="ApiKey"/> or <see cref="PrivateKey"/>.</summary>
    public string Name { get; private set; } = "";

    public static SourceCredential Create(Guid id, string name, string protectedValue, string hint, DateTimeOffset now) =>
        Names.Contains(name)
            ? new SourceCredential { Id = id, Name = name, Protected = protectedValue, Hint = hint, CreatedAt = now }
            : throw new ArgumentException($"'{name}' is not a backfill credential; expected one of {string.Join(", ", Names)}.", nameof(name));

    internal void AttachTo(string sourceName) => SourceName = sourceName;
}
