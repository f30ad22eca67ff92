using System.Security.Cryptography;
using System.Text;
using Webhooks.Application.Providers;
using Webhooks.Application.Providers.StandardWebhooks;

namespace Webhooks.Application.Delivery;

/// <summary>The signature headers of an outbound request (CONTRACT.md, Outbound delivery).</summary>
public static class OutboundSignature
{
    /// <summary>
    /// Standard Webhooks: <c>v1,{base64 HMAC-SHA256 of "{id}.{timestamp}.{body}"}</c> keyed with the base64-decoded
    /// part of each <c>whsec_</c> secret (the same signing the inbound side verifies), space-separated when several
    /// are active (a rotation's overlap).
    /// </summary>
    public static string Standard(string messageId, long timestamp, byte[] body, IEnumerable<string> secrets) =>
        string.Join(' ', secrets.Select(secret => StandardWebhooksSignature.Sign(messageId, timestamp, body, secret)));

    /// <summary>Legacy: <c>sha256={base64 HMAC-SHA256 of "{timestamp}.{body}"}</c> keyed with the secret's UTF-8 bytes.</summary>
    public static string Legacy(long timestamp, byte[] body, IEnumerable<string> secrets) =>
        string.Join(' ', secrets.Select(secret =>
            "sha256=" + Convert.ToBase64String(Signatures.HmacSha256(Encoding.UTF8.GetBytes(secret), Signatures.Concat($"{timestamp}.", body)))));

    /// <summary>A new secret: <c>whsec_</c> and 32 random bytes in base64.</summary>
    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
