using System.Text.RegularExpressions;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Providers;

/// <summary>Event types named by the sender (Standard Webhooks, generic HMAC, Slack) become evt.webhook.{type}.</summary>
public static partial class EventTypes
{
    public const string Prefix = "evt.webhook.";

    public static string FromSender(string type)
    {
        if (!Allowed().IsMatch(type))
        {
            throw new MalformedWebhookException("The event type may hold letters, digits and . _ - : only, at most 200 characters.");
        }

        return Prefix + type;
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,200}$")]
    private static partial Regex Allowed();
}
