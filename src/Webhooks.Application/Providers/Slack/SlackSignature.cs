using Webhooks.Application.Ingestion;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Providers.Slack;

/// <summary>X-Slack-Signature: "v0=" + hex HMAC-SHA256 of "v0:{X-Slack-Request-Timestamp}:{body}" with the signing secret.</summary>
public static class SlackSignature
{
    public const string Header = "X-Slack-Signature";
    public const string TimestampHeader = "X-Slack-Request-Timestamp";

    public static SignatureCheck Verify(WebhookRequest request, WebhookSource source, DateTimeOffset now)
    {
        var header = request.Header(Header);
        if (header is null)
        {
            return SignatureCheck.MissingHeader(Header);
        }

        var timestamp = request.Header(TimestampHeader);
        if (Signatures.CheckTimestamp(timestamp, TimestampHeader, now, source.Tolerance) is { } stale)
        {
            return stale;
        }

        if (!header.StartsWith("v0=", StringComparison.Ordinal) || Signatures.TryFromHex(header[3..]) is not { } presented)
        {
            return SignatureCheck.Fail($"The {Header} header is not v0=<hex>.");
        }

        var signed = Signatures.Concat($"v0:{timestamp}:", request.Body);
        return Signatures.MatchesAny(source.Secrets, secret => Signatures.HmacSha256(Signatures.Utf8(secret), signed), [presented])
            ? SignatureCheck.Passed
            : SignatureCheck.Mismatch;
    }

    public static string Sign(byte[] body, string secret, long timestamp) =>
        "v0=" + Convert.ToHexStringLower(Signatures.HmacSha256(Signatures.Utf8(secret), Signatures.Concat($"v0:{timestamp}:", body)));
}
