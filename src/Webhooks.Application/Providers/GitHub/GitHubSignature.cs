using Webhooks.Application.Ingestion;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Providers.GitHub;

/// <summary>X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256 of the raw body with the webhook secret.</summary>
public static class GitHubSignature
{
    public const string Header = "X-Hub-Signature-256";
    private const string Prefix = "sha256=";

    public static SignatureCheck Verify(WebhookRequest request, WebhookSource source)
    {
        var header = request.Header(Header);
        if (header is null)
        {
            return SignatureCheck.MissingHeader(Header);
        }

        if (!header.StartsWith(Prefix, StringComparison.Ordinal) || Signatures.TryFromHex(header[Prefix.Length..]) is not { } presented)
        {
            return SignatureCheck.Fail($"The {Header} header is not sha256=<hex>.");
        }

        return Signatures.MatchesAny(source.Secrets, secret => Signatures.HmacSha256(Signatures.Utf8(secret), request.Body), [presented])
            ? SignatureCheck.Passed
            : SignatureCheck.Mismatch;
    }

    public static string Sign(byte[] body, string secret) => Prefix + Convert.ToHexStringLower(Signatures.HmacSha256(Signatures.Utf8(secret), body));
}
