using Webhooks.Application.Ingestion;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Providers.Stripe;

/// <summary>
/// Stripe-Signature: t=…,v1=…[,v1=…][,v0=…]. HMAC-SHA256 (hex) of "{t}.{body}" keyed with the endpoint secret used
/// as UTF-8 text — the whsec_ string itself, not base64-decoded. Several v1 entries appear while Stripe rolls a
/// secret; v0 (test-mode legacy) is ignored.
/// </summary>
public static class StripeSignature
{
    public const string Header = "Stripe-Signature";

    public static SignatureCheck Verify(WebhookRequest request, WebhookSource source, DateTimeOffset now)
    {
        var header = request.Header(Header);
        if (header is null)
        {
            return SignatureCheck.MissingHeader(Header);
        }

        string? timestamp = null;
        var signatures = new List<byte[]>();
        foreach (var part in header.Split(','))
        {
            var separator = part.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                continue;
            }

            var (key, value) = (part[..separator].Trim(), part[(separator + 1)..].Trim());
            if (key == "t")
            {
                timestamp = value;
            }
            else if (key == "v1" && Signatures.TryFromHex(value) is { } bytes)
            {
                signatures.Add(bytes);
            }
        }

        if (timestamp is null || signatures.Count == 0)
        {
            return SignatureCheck.Fail($"The {Header} header has no t= timestamp or no v1= signature.");
        }

        if (Signatures.CheckTimestamp(timestamp, Header + " t", now, source.Tolerance) is { } stale)
        {
            return stale;
        }

        var signed = Signatures.Concat(timestamp + ".", request.Body);
        return Signatures.MatchesAny(source.Secrets, secret => Signatures.HmacSha256(Signatures.Utf8(secret), signed), signatures)
            ? SignatureCheck.Passed
            : SignatureCheck.Mismatch;
    }

    public static string Sign(byte[] body, string secret, long timestamp) =>
        $"t={timestamp},v1={Convert.ToHexStringLower(Signatures.HmacSha256(Signatures.Utf8(secret), Signatures.Concat(timestamp + ".", body)))}";
}
