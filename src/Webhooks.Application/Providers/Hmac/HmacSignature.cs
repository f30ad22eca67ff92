using Webhooks.Application.Ingestion;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Providers.Hmac;

/// <summary>
/// The generic scheme: an HMAC (sha1/sha256/sha512) of a template over {id}, {timestamp}, {type} and {body}, sent in a
/// configured header as hex or base64, optionally behind a prefix such as "sha256=".
/// </summary>
public static class HmacSignature
{
    public static SignatureCheck Verify(WebhookRequest request, WebhookSource source, DateTimeOffset now)
    {
        var scheme = source.Hmac ?? throw new InvalidOperationException($"Source '{source.Name}' has no HMAC scheme.");
        var header = request.Header(scheme.SignatureHeader);
        if (header is null)
        {
            return SignatureCheck.MissingHeader(scheme.SignatureHeader);
        }

        string? timestamp = null;
        if (scheme.TimestampHeader is { } timestampHeader)
        {
            timestamp = request.Header(timestampHeader);
            if (Signatures.CheckTimestamp(timestamp, timestampHeader, now, source.Tolerance) is { } stale)
            {
                return stale;
            }
        }

        string? id = null;
        if (scheme.SignedPayload.Contains("{id}", StringComparison.Ordinal))
        {
            id = request.Header(scheme.IdHeader!);
            if (id is null)
            {
                return SignatureCheck.MissingHeader(scheme.IdHeader!);
            }
        }

        var value = header.Trim();
        if (scheme.Prefix is { Length: > 0 } prefix)
        {
            if (!value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return SignatureCheck.Fail($"The {scheme.SignatureHeader} header does not start with '{prefix}'.");
            }

            value = value[prefix.Length..];
        }

        var presented = scheme.Encoding == "base64" ? Signatures.TryFromBase64(value) : Signatures.TryFromHex(value);
        if (presented is null)
        {
            return SignatureCheck.Fail($"The {scheme.SignatureHeader} header is not {scheme.Encoding}.");
        }

        string? type = null;
        if (scheme.SignedPayload.Contains("{type}", StringComparison.Ordinal))
        {
            // A sender that signs its event type: the type header can then not be changed on a captured request.
            type = request.Header(scheme.EventTypeHeader!);
            if (type is null)
            {
                return SignatureCheck.MissingHeader(scheme.EventTypeHeader!);
            }
        }

        var signed = SignedPayload(scheme.SignedPayload, id, timestamp, request.Body, type);
        return Signatures.MatchesAny(source.Secrets, secret => Signatures.Hmac(scheme.Algorithm, Signatures.Utf8(secret), signed), [presented])
            ? SignatureCheck.Passed
            : SignatureCheck.Mismatch;
    }

    public static string Sign(HmacScheme scheme, string secret, byte[] body, string? id = null, string? timestamp = null, string? type = null)
    {
        var mac = Signatures.Hmac(scheme.Algorithm, Signatures.Utf8(secret), SignedPayload(scheme.SignedPayload, id, timestamp, body, type));
        return (scheme.Prefix ?? "") + (scheme.Encoding == "base64" ? Convert.ToBase64String(mac) : Convert.ToHexStringLower(mac));
    }

    /// <summary>The template with {id}, {timestamp} and {type} as text and {body} as the raw bytes.</summary>
    public static SignedContent SignedPayload(string template, string? id, string? timestamp, byte[] body, string? type = null)
    {
        var at = template.IndexOf("{body}", StringComparison.Ordinal);
        string Fill(string part) => part.Replace("{id}", id, StringComparison.Ordinal).Replace("{timestamp}", timestamp, StringComparison.Ordinal)
            .Replace("{type}", type, StringComparison.Ordinal);
        return Signatures.Concat(Fill(template[..at]), body, Fill(template[(at + "{body}".Length)..]));
    }

}
