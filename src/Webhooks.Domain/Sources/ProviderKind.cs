namespace Webhooks.Domain.Sources;

/// <summary>The signature and payload conventions a source follows; the configuration spells them in kebab case.</summary>
public enum ProviderKind
{
    Shopify,
    Stripe,
    GitHub,
    Twilio,
    PayPal,
    Slack,
    StandardWebhooks,
    Hmac,
}

public static class ProviderNames
{
    private static readonly Dictionary<string, ProviderKind> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["shopify"] = ProviderKind.Shopify,
        ["stripe"] = ProviderKind.Stripe,
        ["github"] = ProviderKind.GitHub,
        ["twilio"] = ProviderKind.Twilio,
        ["paypal"] = ProviderKind.PayPal,
        ["slack"] = ProviderKind.Slack,
        ["standard-webhooks"] = ProviderKind.StandardWebhooks,
        ["hmac"] = ProviderKind.Hmac,
    };

    public static IReadOnlyCollection<string> All => ByName.Keys;

    public static bool TryParse(string? name, out ProviderKind kind) => ByName.TryGetValue(name ?? "", out kind);

    public static string ToName(this ProviderKind kind) => ByName.First(pair => pair.Value == kind).Key;
}
