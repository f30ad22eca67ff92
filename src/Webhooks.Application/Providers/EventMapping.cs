using System.Text.Json;
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
    public static (IReadOnlyList<MappedEvent> Events, string? Failure) Run(Func<MappedEvent?> map)
    {
        try
        {
            return map() is { } mapped ? ([mapped], null) : ([], null);
        }
        catch (Exception ex) when (ex is MalformedWebhookException or ArgumentException or FormatException or InvalidOperationException or OverflowException or JsonException)
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
