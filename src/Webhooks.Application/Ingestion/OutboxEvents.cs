using System.Text.Json.Nodes;
using Webhooks.Application.Providers;
using Webhooks.Domain.Events;
using Webhooks.Domain.Inbox;
using Webhooks.Domain.Outbox;

namespace Webhooks.Application.Ingestion;

/// <summary>The outbox rows of a stored webhook: evt.webhook.received, then its mapped domain events.</summary>
internal static class OutboxEvents
{
    /// <param name="now">When the events enter the outbox: the receipt, or the moment of an operator's replay.</param>
    public static List<OutboxMessage> For(InboxMessage message, WebhookInterpretation interpretation, string? traceParent, DateTimeOffset now)
    {
        var received = new MappedEvent(MappedEvent.Received, interpretation.Events.Count > 0 ? interpretation.Events[0].Subject : null, new JsonObject
        {
            // The fields of Contracts.WebhookReceived, written directly on this hot path (the schema test holds them to it).
            ["source"] = message.Source,
            ["provider"] = message.Provider,
            ["topic"] = message.Topic,
            ["idempotency_key"] = message.IdempotencyKey,
            ["content_type"] = message.ContentType,
            ["payload"] = interpretation.Payload?.DeepClone(),
        });

        var outbox = new List<OutboxMessage>(interpretation.Events.Count + 1);
        foreach (var mapped in interpretation.Events.Prepend(received))
        {
            var id = Guid.CreateVersion7(now);
            var envelope = CloudEventEnvelope.Write(
                id, message.Source, message.Provider, message.Topic, mapped, message.ReceivedAt, message.Id, message.CorrelationId, traceParent,
                providerTime: interpretation.ProviderTime);
            outbox.Add(OutboxMessage.Create(id, message.Id, message.Source, mapped.Type, mapped.Subject, message.CorrelationId, envelope, now));
        }

        return outbox;
    }
}
