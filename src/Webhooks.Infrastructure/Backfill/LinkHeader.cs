using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace Webhooks.Infrastructure.Backfill;

/// <summary>
/// GitHub's pagination: the Link header lists the next page's URL as <c>&lt;…&amp;cursor=…&gt;; rel="next"</c>
/// (https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api). Only the cursor is taken from
/// it; the request for the next page is built from the configured API base again, never sent to a host the header names.
/// </summary>
internal static partial class LinkHeader
{
    /// <summary>The <c>cursor</c> of the rel="next" link among <paramref name="values"/>, or null when there is no next page.</summary>
    public static string? NextCursor(IEnumerable<string> values)
    {
        foreach (var value in values)
        {
            foreach (Match link in Link().Matches(value))
            {
                var relations = link.Groups["rel"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (!relations.Contains("next", StringComparer.OrdinalIgnoreCase) || !Uri.TryCreate(link.Groups["url"].Value, UriKind.Absolute, out var url))
                {
                    continue;
                }

                return QueryHelpers.ParseQuery(url.Query).TryGetValue("cursor", out var cursor) && !string.IsNullOrEmpty(cursor) ? cursor.ToString() : null;
            }
        }

        return null;
    }

    [GeneratedRegex("<(?<url>[^>]*)>\\s*;[^,]*?rel\\s*=\\s*\"?(?<rel>[^\",;]+)\"?", RegexOptions.CultureInvariant)]
    private static partial Regex Link();
}
