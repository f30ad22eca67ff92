using System.Text.Json.Nodes;

namespace Webhooks.Domain.Events;

/// <summary>A domain event derived from a webhook: its type (e.g. evt.webhook.order.created), subject and payload.</summary>
public sealed record MappedEvent(string Type, string? Subject, JsonObject Data)
{
    public const string Received = "evt.webhook.received";
}
