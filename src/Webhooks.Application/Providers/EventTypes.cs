using System.Text.RegularExpressions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Contracts;

namespace Webhooks.Application.Providers;

/// <summary>
/// Event types named by the sender. A generic source's (hmac, standard-webhooks) become
/// <c>evt.source.{source}.{type}</c>, so no sender can publish into the provider-mapped <c>evt.webhook.</c> namespace.
/// </summary>
public static partial class EventTypes
{
    public static string FromSource(string source, string type) => Checked(RoutingKeys.SourcePrefix + source + ".", type);

    /// <summary>A prefix and a sender's name, refused unless the name is a plain event type.</summary>
    public static string Checked(string prefix, string type)
    {
        if (!Allowed().IsMatch(type))
        {
            throw new MalformedWebhookException("The event type may hold letters, digits and . _ - : only, at most 200 characters.");
        }

        return prefix + type;
    }

    [GeneratedRegex("^(?=.{1,200}\\z)[A-Za-z0-9_:-]+(\\.[A-Za-z0-9_:-]+)*\\z")] // \z, not $: $ also matches before a final newline
    private static partial Regex Allowed();
}
