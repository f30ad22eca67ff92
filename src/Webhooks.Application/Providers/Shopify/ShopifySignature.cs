using Webhooks.Application.Ingestion;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Providers.Shopify;

/// <summary>X-Shopify-Hmac-Sha256: base64 of HMAC-SHA256 over the raw body, keyed with the app's client secret.</summary>
public static class ShopifySignature
{
    public const string Header = "X-Shopify-Hmac-Sha256";

    public static SignatureCheck Verify(WebhookRequest request, WebhookSource source)
    {
        var header = request.Header(Header);
        if (header is null)
        {
            return SignatureCheck.MissingHeader(Header);
        }

        var presented = Signatures.TryFromBase64(header);
        if (presented is null)
        {
            return SignatureCheck.Fail($"The {Header} header is not base64.");
        }

        foreach (var secret in source.Secrets)
        {
            if (Signatures.FixedTimeEquals(Signatures.HmacSha256(Signatures.Utf8(secret), request.Body), presented))
            {
                return SignatureCheck.Passed;
            }
        }

        return SignatureCheck.Mismatch;
    }

    public static string Sign(byte[] body, string secret) => Convert.ToBase64String(Signatures.HmacSha256(Signatures.Utf8(secret), body));
}
