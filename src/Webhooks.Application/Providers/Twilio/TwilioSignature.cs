using System.Text;
using Webhooks.Application.Ingestion;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Providers.Twilio;

/// <summary>
/// X-Twilio-Signature: base64 HMAC-SHA1, keyed with the auth token, over the full URL Twilio requested followed by
/// the POST parameters sorted by name, each as name + value. JSON bodies are signed over the URL alone, which then
/// carries bodySHA256 = hex SHA-256 of the body, and that hash must match the body. The URL is tried as rebuilt,
/// with and without the default port, because Twilio's signing side may or may not include it.
/// </summary>
public static class TwilioSignature
{
    public const string Header = "X-Twilio-Signature";

    public static SignatureCheck Verify(WebhookRequest request, WebhookSource source)
    {
        var header = request.Header(Header);
        if (header is null)
        {
            return SignatureCheck.MissingHeader(Header);
        }

        if (Signatures.TryFromBase64(header) is not { } presented)
        {
            return SignatureCheck.Fail($"The {Header} header is not base64.");
        }

        var url = RequestUrl(request, source);
        string suffix;
        if (FormBody.IsForm(request.ContentType))
        {
            suffix = SortedParameters(FormBody.Parse(request.Body));
        }
        else
        {
            var declared = BodyHash(url);
            if (declared is null)
            {
                return SignatureCheck.Fail("A non-form Twilio request must be signed with bodySHA256 in its URL.");
            }

            var actual = Encoding.ASCII.GetBytes(Signatures.Sha256Hex(request.Body));
            if (!Signatures.FixedTimeEquals(actual, Encoding.ASCII.GetBytes(declared.ToLowerInvariant())))
            {
                return SignatureCheck.Fail("The body does not match the bodySHA256 the URL was signed with.");
            }

            suffix = "";
        }

        var candidates = UrlVariants(url).Select(u => Encoding.UTF8.GetBytes(u + suffix)).ToList();
        return candidates.Any(data => Signatures.MatchesAny(source.Secrets, token => Signatures.Hmac("sha1", Signatures.Utf8(token), data), [presented]))
            ? SignatureCheck.Passed
            : SignatureCheck.Mismatch;
    }

    public static string Sign(string url, IEnumerable<KeyValuePair<string, string>> parameters, string authToken) =>
        Convert.ToBase64String(Signatures.Hmac("sha1", Signatures.Utf8(authToken), Encoding.UTF8.GetBytes(url + SortedParameters(parameters))));

    /// <summary>PublicUrl (scheme://host[:port]) + the request's raw path and query, else the URL as the server saw it.</summary>
    public static string RequestUrl(WebhookRequest request, WebhookSource source)
    {
        var origin = source.PublicUrl is { } publicUrl ? publicUrl.TrimEnd('/') : $"{request.Scheme}://{request.Host}";
        return origin + request.PathAndQuery;
    }

    internal static IEnumerable<string> UrlVariants(string url)
    {
        yield return url;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            yield break;
        }

        var defaultPort = uri.Scheme == "https" ? 443 : 80;
        var authority = uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);
        var rest = url[(url.IndexOf(uri.Host, StringComparison.OrdinalIgnoreCase) + uri.Host.Length)..];
        if (rest.StartsWith(':'))
        {
            // Explicit port present: also try without it when it is the default one.
            var end = rest.IndexOfAny(['/', '?']);
            var portText = end < 0 ? rest[1..] : rest[1..end];
            if (portText == defaultPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                yield return $"{uri.Scheme}://{uri.Host}{(end < 0 ? "" : rest[end..])}";
            }
        }
        else if (authority.Length > 0)
        {
            yield return $"{uri.Scheme}://{uri.Host}:{defaultPort}{rest}";
        }
    }

    private static string? BodyHash(string url)
    {
        var query = url.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            return null;
        }

        foreach (var part in url[(query + 1)..].Split('&'))
        {
            if (part.StartsWith("bodySHA256=", StringComparison.Ordinal))
            {
                return part["bodySHA256=".Length..];
            }
        }

        return null;
    }

    private static string SortedParameters(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
        {
            text.Append(name).Append(value);
        }

        return text.ToString();
    }
}
