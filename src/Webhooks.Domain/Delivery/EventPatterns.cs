namespace Webhooks.Domain.Delivery;

/// <summary>
/// The event types a subscription asks for: exact types (<c>order.created</c>), a trailing wildcard over whole
/// segments (<c>order.*</c> matches <c>order.created</c> and <c>order.line.added</c>, not <c>orders.created</c>), or
/// <c>*</c> for every event. The gateway's own events (<c>evt.gateway.…</c>: alerts, disabled subscriptions, rejected
/// deliveries with client addresses) are matched only by patterns that name that namespace — <c>evt.gateway.*</c>,
/// <c>evt.gateway.alert.*</c> or an exact type — never by <c>*</c> or a wider prefix (contract v3).
/// </summary>
public static class EventPatterns
{
    public const string GatewayPrefix = "evt.gateway.";

    public static bool Matches(IEnumerable<string> patterns, string type) => patterns.Any(pattern => Matches(pattern, type));

    public static bool Matches(string pattern, string type)
    {
        if (type.StartsWith(GatewayPrefix, StringComparison.Ordinal) && !pattern.StartsWith(GatewayPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        if (pattern == "*")
        {
            return true;
        }

        if (pattern.EndsWith(".*", StringComparison.Ordinal))
        {
            var prefix = pattern[..^1]; // keeps the dot
            return type.Length > prefix.Length && type.StartsWith(prefix, StringComparison.Ordinal);
        }

        return string.Equals(pattern, type, StringComparison.Ordinal);
    }

    /// <summary>Whether a pattern is well formed: <c>*</c>, or dot-separated segments of [A-Za-z0-9_-] with an optional final <c>*</c>.</summary>
    public static bool IsValid(string? pattern)
    {
        if (string.IsNullOrEmpty(pattern) || pattern.Length > 200)
        {
            return false;
        }

        if (pattern == "*")
        {
            return true;
        }

        var segments = pattern.Split('.');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment == "*" && i == segments.Length - 1 && i > 0)
            {
                continue;
            }

            if (segment.Length == 0 || !segment.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
