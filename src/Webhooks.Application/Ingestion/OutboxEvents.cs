using System.Text.Json.Nodes;
using Webhooks.Application.Providers;
using Webhooks.Contracts;
using Webhooks.Domain.Events;
using Webhooks.Domain.Inbox;
using Webhooks.Domain.Outbox;

namespace Webhooks.Application.Ingestion;

/// <summary>
/// The outbox rows of a stored webhook: evt.webhook.received, then its mapped domain events — or, when the mapping
/// failed, evt.gateway.mapping_failed.
/// </summary>
internal static class OutboxEvents
{
    private const int MaxReasonLength = 500;

    /// <param name="now">When the events enter the outbox: the receipt, or the moment of an operator's replay.</param>
    /// <param name="ids">The ids of the events published for this webhook before (a replay), by type: reused.</param>
    public static List<OutboxMessage> For(InboxMessage message, WebhookInterpretation interpretation, string? traceParent, DateTimeOffset now, IReadOnlyDictionary<string, Guid>? ids = null)
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

        IEnumerable<MappedEvent> events = interpretation.Events.Prepend(received);
        if (interpretation.MappingFailure is { } failure)
        {
            events = events.Append(Providers.ContractEvents.Event(new MappingFailed
            {
                Source = message.Source,
                Provider = message.Provider,
                Topic = message.Topic,
                InboxId = message.Id.ToString(),
                IdempotencyKey = message.IdempotencyKey,
                Reason = failure.Length <= MaxReasonLength ? failure : failure[..MaxReasonLength],
            }, message.Id.ToString()));
        }

        var outbox = new List<OutboxMessage>(interpretation.Events.Count + 2);
        foreach (var mapped in events)
        {
            var id = ids is not null && ids.TryGetValue(mapped.Type, out var earlier) ? earlier : Guid.CreateVersion7(now);
            var envelope = CloudEventEnvelope.Write(
                id, message.Source, message.Provider, message.Topic, mapped, message.ReceivedAt, message.Id, message.CorrelationId, traceParent,
                providerTime: interpretation.ProviderTime);
            outbox.Add(OutboxMessage.Create(id, message.Id, message.Source, mapped.Type, mapped.Subject, message.CorrelationId, envelope, now));
        }

        return outbox;
    }
}
