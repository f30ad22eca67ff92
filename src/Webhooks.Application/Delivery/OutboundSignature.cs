using System.Security.Cryptography;
using System.Text;
using Webhooks.Application.Providers;
using Webhooks.Application.Providers.StandardWebhooks;

namespace Webhooks.Application.Delivery;

/// <summary>The signature headers of an outbound request (docs/contract.md, Outbound delivery).</summary>
public static class OutboundSignature
{
    public const string StandardScheme = "standard";
    public const string LegacyScheme = "legacy";
    public const string BodyHmacScheme = "body-hmac";

    /// <summary>The shortest secret the body-hmac scheme accepts (its receivers hold a shared secret of any form).</summary>
    public const int MinBodyHmacSecretLength = 16;

    public static IReadOnlyList<string> Schemes { get; } = [StandardScheme, LegacyScheme, BodyHmacScheme];

    /// <summary>
    /// Standard Webhooks: <c>v1,{base64 HMAC-SHA256 of "{id}.{timestamp}.{body}"}</c> keyed with the base64-decoded
    /// part of each <c>whsec_</c> secret (the same signing the inbound side verifies), space-separated when several
    /// are active (a rotation's overlap). Secrets that are not <c>whsec_</c> secrets cannot sign in this scheme.
    /// </summary>
    public static string Standard(string messageId, long timestamp, byte[] body, IEnumerable<string> secrets) =>
        string.Join(' ', secrets.Where(secret => StandardWebhooksSignature.Key(secret) is not null)
            .Select(secret => StandardWebhooksSignature.Sign(messageId, timestamp, body, secret)));

    /// <summary>Legacy: <c>sha256={base64 HMAC-SHA256 of "{timestamp}.{body}"}</c> keyed with the secret's UTF-8 bytes.</summary>
    public static string Legacy(long timestamp, byte[] body, string secret) =>
        "sha256=" + Convert.ToBase64String(Signatures.HmacSha256(Encoding.UTF8.GetBytes(secret), Signatures.Concat($"{timestamp}.", body)));

    /// <summary>Body HMAC: <c>sha256={hex HMAC-SHA256 of the raw body}</c> keyed with the secret's UTF-8 bytes.</summary>
    public static string BodyHmac(byte[] body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(Signatures.HmacSha256(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>
    /// The one secret a single-signature scheme (legacy, body-hmac) signs with: the previous one — the second newest
    /// still active — while a rotation's overlap lasts, the newest once it is alone. A receiver that accepts its
    /// current and its previous secret never misses a delivery; a second rotation inside the overlap does not fall
    /// back to a secret two generations old, and a rotation without overlap (a leaked secret) stops using it at once.
    /// </summary>
    /// <param name="secrets">The active secrets, oldest first.</param>
    public static string SingleSecret(IReadOnlyList<string> secrets) => secrets.Count >= 2 ? secrets[^2] : secrets[0];

    /// <summary>Whether a subscription's secret suits its scheme.</summary>
    public static bool IsValidSecret(string? scheme, string secret) => scheme == BodyHmacScheme
        ? secret.Length is >= MinBodyHmacSecretLength and <= 500 && !secret.Any(char.IsControl)
        : StandardWebhooksSignature.Key(secret) is { Length: >= 24 and <= 64 };

    /// <summary>A new secret: <c>whsec_</c> and 32 random bytes in base64.</summary>
    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
