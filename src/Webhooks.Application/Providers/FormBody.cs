using System.Text;
using System.Text.Json.Nodes;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Providers;

/// <summary>application/x-www-form-urlencoded bodies (Twilio callbacks, Slack commands), decoded as UTF-8.</summary>
public static class FormBody
{
    public static bool IsForm(string? contentType) =>
        contentType is not null && contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The fields sorted by name then value, one per line: what a form's signature covers (Twilio signs the URL and
    /// the sorted parameters, not the bytes), so the same delivery re-ordered has the same content.
    /// </summary>
    public static byte[] Canonical(byte[] body) =>
        System.Text.Encoding.UTF8.GetBytes(string.Join('\n', Parse(body)
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + p.Value)));

    public static List<KeyValuePair<string, string>> Parse(byte[] body)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            throw new MalformedWebhookException("The form body is not valid UTF-8.");
        }

        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = part.IndexOf('=', StringComparison.Ordinal);
            var name = separator < 0 ? part : part[..separator];
            var value = separator < 0 ? "" : part[(separator + 1)..];
            pairs.Add(new(Decode(name), Decode(value)));
        }

        return pairs;
    }

    public static JsonObject ToJson(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var json = new JsonObject();
        foreach (var (name, value) in pairs)
        {
            json[name] = value;
        }

        return json;
    }

    private static string Decode(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            throw new MalformedWebhookException("The form body has an invalid percent-encoding.");
        }
    }
}
