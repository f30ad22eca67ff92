namespace Webhooks.Domain.Delivery;

/// <summary>
/// The event types a subscription asks for: exact types (<c>order.created</c>), a trailing wildcard over whole
/// segments (<c>order.*</c> matches <c>order.created</c> and <c>order.line.added</c>, not <c>orders.created</c>), or
/// <c>*</c> for every event.
/// </summary>
public static class EventPatterns
{
    public static bool Matches(IEnumerable<string> patterns, string type) => patterns.Any(pattern => Matches(pattern, type));

    public static bool Matches(string pattern, string type)
    {
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

    /// <summary>The pattern as a SQL LIKE expression (with '\' escaping), for matching stored events in bulk.</summary>
    public static string ToLike(string pattern)
    {
        if (pattern == "*")
        {
            return "%";
        }

        var escaped = pattern.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
        return escaped.EndsWith(".*", StringComparison.Ordinal) ? escaped[..^1] + "_%" : escaped;
    }
}
