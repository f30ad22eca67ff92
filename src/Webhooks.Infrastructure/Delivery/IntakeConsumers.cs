using System.Text.Json;
using MassTransit;
using MediatR;
using Microsoft.Extensions.Logging;
using Webhooks.Application.Delivery;
using Webhooks.Application.Delivery.Intake;

namespace Webhooks.Infrastructure.Delivery;

/// <summary>A CloudEvent as internal services publish it (structured JSON; only these members matter here).</summary>
/// <param name="ApplicationId">The CloudEvent extension <c>applicationid</c>: the application (id or uid) it is published to; none: 'default'.</param>
internal sealed record CloudEventMessage(string? Id, string? Type, JsonElement Data, DateTimeOffset? Time = null,
    [property: System.Text.Json.Serialization.JsonPropertyName("applicationid")] string? ApplicationId = null);

/// <summary>
/// Events internal services publish to webhooks.outbound, taken in for delivery. The inbox de-duplication is the
/// outbound_events primary key: the event id is the AMQP message id (else the CloudEvent id), so a message delivered
/// twice fans out once.
/// </summary>
internal sealed partial class OutboundIntakeConsumer(IMediator mediator, IDeliveryCapabilities capabilities, ILogger<OutboundIntakeConsumer> logger) : IConsumer<CloudEventMessage>
{
    // Types in the gateway's own namespaces are not taken from publishers, nor events over MaxEventBytes (consumed and
    // dropped with a warning, not retried: they would be refused again).
    public Task Consume(ConsumeContext<CloudEventMessage> context)
    {
        if (Contracts.RoutingKeys.IsReserved(context.Message.Type))
        {
            return Task.CompletedTask;
        }

        if (context.ReceiveContext.Body.Length is { } size && size > capabilities.MaxEventBytes)
        {
            LogTooLarge(logger, context.MessageId?.ToString() ?? context.Message.Id, size, capabilities.MaxEventBytes);
            return Task.CompletedTask;
        }

        // An application that does not exist fails the message: retried, then moved to the queue's _error queue.
        return mediator.Send(new PublishOutboundEvent(context.MessageId?.ToString() ?? context.Message.Id, context.Message.Type, context.Message.Data, "amqp",
            OccurredAt: context.Message.Time, Application: string.IsNullOrEmpty(context.Message.ApplicationId) ? null : context.Message.ApplicationId), context.CancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbound event {EventId} dropped: {Size} bytes, over Webhooks:Delivery:MaxEventBytes ({Limit})")]
    private static partial void LogTooLarge(ILogger logger, string? eventId, long size, int limit);
}

/// <summary>The inbound-mapped events of webhooks.events, for the subscriptions that opted in (include_inbound).</summary>
internal sealed class InboundEventsConsumer(IMediator mediator) : IConsumer<CloudEventMessage>
{
    public Task Consume(ConsumeContext<CloudEventMessage> context) =>
        context.Message.Type is null
            ? Task.CompletedTask
            : mediator.Send(new PublishOutboundEvent("in_" + (context.Message.Id ?? context.MessageId?.ToString()), context.Message.Type, context.Message.Data, "inbound",
                InboundOnly: true, OccurredAt: context.Message.Time), context.CancellationToken);
}
