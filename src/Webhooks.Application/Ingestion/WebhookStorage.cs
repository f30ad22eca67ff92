using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Providers;
using Webhooks.Domain.Inbox;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Ingestion;

/// <summary>
/// The one way a webhook enters the inbox: its row and its events, written together by the batching inbox writer, which
/// answers the first row's id for a duplicate (the same idempotency key, or the same body and topic). A provider's
/// delivery comes here once verified; an event a backfill fetched from the provider's API comes here as if received,
/// its events marked <c>backfilled</c>.
/// </summary>
internal sealed class WebhookStorage(IInboxWriter inbox)
{
    /// <exception cref="Common.Exceptions.StorageUnavailableException">The webhook could not be committed.</exception>
    public Task<InboxWriteResult> StoreAsync(
        WebhookRequest request, WebhookSource source, WebhookInterpretation interpretation, bool backfilled, CancellationToken cancellationToken)
    {
        var headers = HeaderRedaction.Redact(request.Headers, source.Hmac?.SignatureHeader);
        if (!backfilled)
        {
            // The mark is the gateway's own: a sender cannot claim it.
            headers.Remove(OutboxEvents.BackfilledHeader);
        }

        var message = InboxMessage.Receive(
            source.Name,
            source.Provider.ToName(),
            interpretation.Topic,
            interpretation.IdempotencyKey,
            request.ContentType,
            headers,
            request.Body,
            request.CorrelationId,
            request.ClientAddress,
            request.ReceivedAt,
            FormBody.IsForm(request.ContentType) ? FormBody.Canonical(request.Body) : null);

        var events = OutboxEvents.For(message, interpretation, request.TraceParent, message.ReceivedAt, backfilled: backfilled);
        return inbox.WriteAsync(message, events, cancellationToken);
    }
}
