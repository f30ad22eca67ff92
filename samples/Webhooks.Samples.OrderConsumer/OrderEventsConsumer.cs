using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Logging;
using Webhooks.Contracts;

namespace Webhooks.Samples.OrderConsumer;

/// <summary>
/// Every event on the queue arrives as a CloudEvent whose data is read as the record its type names in
/// <see cref="EventCatalog"/> (OrderCreated, OrderPaid…), then handled once per AMQP message id.
/// </summary>
internal sealed partial class OrderEventsConsumer(OrderStore store, ILogger<OrderEventsConsumer> logger) : IConsumer<CloudEvent<JsonElement>>
{
    public async Task Consume(ConsumeContext<CloudEvent<JsonElement>> context)
    {
        var raw = context.Message;
        if (EventCatalog.Find(raw.Type) is not { } definition || !definition.DataType.IsAssignableTo(typeof(Order)))
        {
            LogSkipped(logger, raw.Type, raw.Id);
            return;
        }

        var order = (Order)raw.Data.Deserialize(definition.DataType)!;
        var cloudEvent = new CloudEvent<Order>
        {
            Id = raw.Id,
            Source = raw.Source,
            Type = raw.Type,
            Time = raw.Time,
            Subject = raw.Subject,
            Data = order,
            Provider = raw.Provider,
            ProviderTime = raw.ProviderTime,
            CorrelationId = raw.CorrelationId,
        };

        // The gateway sets the AMQP message_id to the CloudEvent id, the same on every re-publish.
        var messageId = context.MessageId ?? Guid.Parse(raw.Id);
        if (await store.HandleOnceAsync(messageId, cloudEvent, context.CancellationToken))
        {
            LogHandled(logger, order.GetType().Name, order.OrderId, messageId);
        }
        else
        {
            LogDuplicate(logger, raw.Type, messageId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Handled {Record} for order {OrderId} (message {MessageId})")]
    private static partial void LogHandled(ILogger logger, string record, string? orderId, Guid messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} ({Type}) was handled before; skipped")]
    private static partial void LogDuplicate(ILogger logger, string type, Guid messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {Id} of type {Type} is not an order event; skipped")]
    private static partial void LogSkipped(ILogger logger, string type, string id);
}
