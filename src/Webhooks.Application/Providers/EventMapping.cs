using Webhooks.Application.Common.Exceptions;
using Webhooks.Domain.Events;

namespace Webhooks.Application.Providers;

/// <summary>
/// Mapping a verified, well-formed delivery to domain events. When that fails — a shape or a name the mapping does not
/// accept — it is the gateway's problem, not the sender's: the webhook is still stored and evt.webhook.received
/// published, and the failure travels as evt.gateway.mapping_failed instead of refusing an authentic delivery.
/// </summary>
internal static class EventMapping
{
    /// <summary>
    /// Runs a mapping; only what says "this payload does not fit" (a name that cannot form a routing key, a number or
    /// text the mapping cannot read) is a mapping failure. Anything else is a bug and stays one (a 500, retried).
    /// </summary>
    public static (IReadOnlyList<MappedEvent> Events, string? Failure) Run(Func<MappedEvent?> map)
    {
        try
        {
            return map() is { } mapped ? ([mapped], null) : ([], null);
        }
        catch (Exception ex) when (ex is MalformedWebhookException or FormatException or OverflowException)
        {
            return ([], ex.Message);
        }
    }

    /// <summary>The interpretation with the mapping's outcome: its events, or none and the failure.</summary>
    public static WebhookInterpretation Mapped(this WebhookInterpretation interpretation, Func<MappedEvent?> map)
    {
        var (events, failure) = Run(map);
        return interpretation with { Events = events, MappingFailure = failure };
    }
}
