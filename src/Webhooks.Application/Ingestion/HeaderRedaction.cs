namespace Webhooks.Application.Ingestion;

/// <summary>Headers that carry credentials or signatures are stored as "[redacted]".</summary>
internal static class HeaderRedaction
{
    public const string Redacted = "[redacted]";

    private static readonly HashSet<string> Sensitive = new(StringComparer.OrdinalIgnoreCase)
    {
        "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key",
        "x-shopify-hmac-sha256", "stripe-signature", "x-hub-signature", "x-hub-signature-256",
        "x-twilio-signature", "paypal-transmission-sig", "x-slack-signature", "webhook-signature",
        "x-webhook-signature", "x-signature",
    };

    public static Dictionary<string, string> Redact(IReadOnlyDictionary<string, string> headers, string? extraSensitive = null)
    {
        var stored = new Dictionary<string, string>(headers.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            var secret = Sensitive.Contains(name) || string.Equals(name, extraSensitive, StringComparison.OrdinalIgnoreCase);
            stored[name.ToLowerInvariant()] = secret ? Redacted : value;
        }

        return stored;
    }
}
