using MediatR;
using Microsoft.Extensions.Logging;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Providers;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Ingestion.ReceiveWebhook;

/// <summary>A provider's delivery to verify, de-duplicate and store with its events.</summary>
/// <param name="Source">The enabled source the request names, which has already allowed the client's address.</param>
public sealed record ReceiveWebhook(WebhookRequest Request, WebhookSource Source) : IRequest<ReceiveWebhookResult>;

/// <param name="Id">The inbox id; for a duplicate, the id of the delivery stored first.</param>
/// <param name="ImmediateResponse">A body the provider expects instead of the acknowledgement (a handshake).</param>
public sealed record ReceiveWebhookResult(Guid? Id, bool Duplicate, string? ImmediateResponse = null);

internal sealed partial class ReceiveWebhookHandler(
    ProviderRegistry providers,
    WebhookStorage storage,
    TimeProvider clock,
    ILogger<ReceiveWebhookHandler> logger) : IRequestHandler<ReceiveWebhook, ReceiveWebhookResult>
{
    public async Task<ReceiveWebhookResult> Handle(ReceiveWebhook command, CancellationToken cancellationToken)
    {
        var request = command.Request;
        var source = command.Source;
        var receivedAt = clock.GetUtcNow();
        request = request with { ReceivedAt = receivedAt };
        var provider = providers.Get(source.Provider);
        var check = provider.Verify(request, source, receivedAt);
        if (!check.Valid)
        {
            throw new SignatureRejectedException(check.Failure ?? "The signature is not valid.");
        }

        var interpretation = provider.Interpret(request, source);
        if (!interpretation.StoreAndPublish)
        {
            return new ReceiveWebhookResult(null, false, interpretation.ImmediateResponse);
        }

        if (request.PathTopic is { } pathTopic && interpretation.Topic is { } topic && !string.Equals(pathTopic, topic, StringComparison.OrdinalIgnoreCase))
        {
            LogTopicMismatch(logger, source.Name, pathTopic, topic);
        }

        if (interpretation.MappingFailure is { } failure)
        {
            LogMappingFailed(logger, source.Name, interpretation.Topic, failure);
        }

        var stored = await storage.StoreAsync(request, source, interpretation, backfilled: false, cancellationToken).ConfigureAwait(false);
        return new ReceiveWebhookResult(stored.Id, stored.Duplicate, interpretation.ImmediateResponse);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Source {Source}: a verified {Topic} delivery could not be mapped ({Reason}); stored, evt.gateway.mapping_failed published")]
    private static partial void LogMappingFailed(ILogger logger, string source, string? topic, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Source {Source}: the path names topic {PathTopic} but the provider says {Topic}; using the provider's")]
    private static partial void LogTopicMismatch(ILogger logger, string source, string pathTopic, string topic);
}
