using Webhooks.Application.Ingestion;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Providers.StandardWebhooks;

/// <summary>
/// Standard Webhooks: webhook-signature is a space-separated list of "v1,&lt;base64 HMAC-SHA256&gt;" over
/// "{webhook-id}.{webhook-timestamp}.{body}", keyed with the base64-decoded part of the whsec_ secret.
/// </summary>
public static class StandardWebhooksSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string Header = "webhook-signature";
    public const string SecretPrefix = "whsec_";

    public static SignatureCheck Verify(WebhookRequest request, WebhookSource source, DateTimeOffset now)
    {
        var id = request.Header(IdHeader);
        var header = request.Header(Header);
        if (id is null || header is null)
        {
            return SignatureCheck.MissingHeader(id is null ? IdHeader : Header);
        }

        var timestamp = request.Header(TimestampHeader);
        if (Signatures.CheckTimestamp(timestamp, TimestampHeader, now, source.Tolerance) is { } stale)
        {
            return stale;
        }

        var presented = header.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(entry => entry.StartsWith("v1,", StringComparison.Ordinal))
            .Select(entry => Signatures.TryFromBase64(entry[3..]))
            .OfType<byte[]>()
            .ToList();
        if (presented.Count == 0)
        {
            return SignatureCheck.Fail($"The {Header} header has no v1 signature.");
        }

        var signed = Signatures.Concat($"{id}.{timestamp}.", request.Body);
        return Signatures.MatchesAny(source.Secrets, secret => Key(secret) is { } key ? Signatures.HmacSha256(key, signed) : null, presented)
            ? SignatureCheck.Passed
            : SignatureCheck.Mismatch;
    }

    /// <summary>The signing key of a whsec_ secret (its base64 part decoded), or null when it is not one.</summary>
    /// <summary>
    /// The HMAC key a secret stands for, or null when it is not one: base64 after whsec_, of at least
    /// <see cref="MinimumKeyBytes"/> bytes (a bare "whsec_" would be a zero-byte key anyone can sign with).
    /// </summary>
    public static byte[]? Key(string secret) =>
        Signatures.TryFromBase64(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret)
            is { Length: >= MinimumKeyBytes } key ? key : null;

    /// <summary>The specification's generated secrets are 24 to 64 bytes; fewer than 16 is refused.</summary>
    public const int MinimumKeyBytes = 16;

    public static string Sign(string id, long timestamp, byte[] body, string secret) =>
        "v1," + Convert.ToBase64String(Signatures.HmacSha256(Key(secret)!, Signatures.Concat($"{id}.{timestamp}.", body)));
}
