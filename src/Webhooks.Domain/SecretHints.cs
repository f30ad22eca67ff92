namespace Webhooks.Domain;

/// <summary>What of a secret may be shown: at most its last 4 characters, and none of one too short to spare them.</summary>
public static class SecretHints
{
    public static string Of(string secret) => secret.Length >= 16 ? "…" + secret[^4..] : "…";
}
