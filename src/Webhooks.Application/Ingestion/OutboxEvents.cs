using System.Text.Json.Nodes;
using Webhooks.Application.Providers;
using Webhooks.Contracts;
using Webhooks.Domain.Events;
using Webhooks.Domain.Inbox;
using Webhooks.Domain.Outbox;

namespace Webhooks.Application.Ingestion;

/// <summary>
/// The outbox rows of a stored webhook: evt.webhook.received, then its mapped domain event and evt.webhook.processed —
/// or, when the mapping failed, evt.webhook.failed and evt.gateway.mapping_failed.
/// </summary>
public static class OutboxEvents
{
    private const int MaxReasonLength = 500;

    /// <param name="now">When the events enter the outbox: the receipt, or the moment of an operator's replay.</param>
    /// <param name="ids">The ids of the events published for this webhook before (a replay), by type: reused.</param>
    /// <param name="backfilled">The webhook was recovered from the provider's API: every event carries <c>backfilled: true</c>.</param>
    public static List<OutboxMessage> For(
        InboxMessage message, WebhookInterpretation interpretation, string? traceParent, DateTimeOffset now, IReadOnlyDictionary<string, Guid>? ids = null, bool backfilled = false)
    {
        // A JSON body goes into evt.webhook.received as it was verified, from the inbox row, when the event is
        // published: stored once, never re-serialised or re-escaped (see OutboxMessage.PayloadAt).
        var bodyIsPayload = BodyIsPayload(message, interpretation);
        var received = new MappedEvent(MappedEvent.Received, interpretation.Events.Count > 0 ? interpretation.Events[0].Subject : null, new JsonObject
        {
            // The fields of Contracts.WebhookReceived, written directly on this hot path (the schema test holds them to it).
            ["source"] = message.Source,
            ["topic"] = message.Topic,
            ["merchant_id"] = interpretation.MerchantId,
            ["merchant_domain"] = interpretation.MerchantDomain,
            ["webhook_id"] = message.Id.ToString(),
            ["received_at"] = message.ReceivedAt,
            ["provider"] = message.Provider,
            ["idempotency_key"] = message.IdempotencyKey,
            ["content_type"] = message.ContentType,
        });
        if (!bodyIsPayload)
        {
            received.Data["payload"] = interpretation.Payload?.DeepClone();
        }


        // Seed 000's lifecycle events: processed with the mapped event, failed when the mapping failed.
        IEnumerable<MappedEvent> events = interpretation.Events.Prepend(received);
        if (interpretation.Events.Count > 0)
        {
            events = events.Append(Providers.ContractEvents.Event(new WebhookProcessed
            {
                EntryId = message.Id.ToString(),
                Source = message.Source,
                Topic = message.Topic,
                EventType = interpretation.Events[0].Type,
                MerchantId = interpretation.MerchantId,
                MerchantDomain = interpretation.MerchantDomain,
                ProcessedAt = now,
            }, message.Id.ToString()));
        }

        if (interpretation.MappingFailure is { } failure)
        {
            var reason = failure.Length <= MaxReasonLength ? failure : failure[..MaxReasonLength];
            events = events.Append(Providers.ContractEvents.Event(new WebhookFailed
            {
                EntryId = message.Id.ToString(),
                Source = message.Source,
                Topic = message.Topic ?? "unknown",
                Error = reason,
                FailedAt = now,
            }, message.Id.ToString())).Append(Providers.ContractEvents.Event(new MappingFailed
            {
                Source = message.Source,
                Provider = message.Provider,
                Topic = message.Topic,
                InboxId = message.Id.ToString(),
                IdempotencyKey = message.IdempotencyKey,
                Reason = reason,
            }, message.Id.ToString()));
        }

        var outbox = new List<OutboxMessage>(interpretation.Events.Count + 3);
        foreach (var mapped in events)
        {
            var id = ids is not null && ids.TryGetValue(mapped.Type, out var earlier) ? earlier : Guid.CreateVersion7(now);
            var bodyFollows = bodyIsPayload && ReferenceEquals(mapped, received);
            var envelope = CloudEventEnvelope.Write(
                id, message.Source, message.Provider, message.Topic, mapped, message.ReceivedAt, message.Id, message.CorrelationId, traceParent,
                out var payloadAt, providerTime: interpretation.ProviderTime, backfilled: backfilled, markPayload: bodyFollows);
            outbox.Add(OutboxMessage.Create(id, message.Id, message.Source, mapped.Type, mapped.Subject, message.CorrelationId, envelope, now, bodyFollows ? payloadAt : null));
        }

        return outbox;
    }

    /// <summary>
    /// Whether the payload is the body itself, as JSON: a JSON content type, a body that starts (after whitespace) with
    /// an object or array — no byte-order mark — and a payload parsed from it. Form bodies (Twilio, Slack commands,
    /// GitHub's form content type) are converted, so their payload is written into the envelope as before.
    /// </summary>
    private static bool BodyIsPayload(InboxMessage message, WebhookInterpretation interpretation)
    {
        if (interpretation.Payload is not (JsonObject or JsonArray) || message.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return false;
        }

        var body = message.Body.AsSpan().TrimStart(" \t\r\n"u8);
        return body.Length > 0 && (body[0] == (byte)'{' ? interpretation.Payload is JsonObject : body[0] == (byte)'[' && interpretation.Payload is JsonArray);
    }

    /// <summary>The inbox header that marks a webhook stored from the provider's API by a backfill, not received.</summary>
    public const string BackfilledHeader = "X-Webhooks-Backfilled";

    /// <summary>Whether <paramref name="message"/> was stored by a backfill (its events, replays included, say so).</summary>
    public static bool IsBackfilled(InboxMessage message) => message.Headers.Keys.Any(k => string.Equals(k, BackfilledHeader, StringComparison.OrdinalIgnoreCase));
}
