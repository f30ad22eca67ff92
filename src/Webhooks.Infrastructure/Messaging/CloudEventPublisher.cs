using MassTransit;
using Microsoft.Extensions.Options;

namespace Webhooks.Infrastructure.Messaging;

/// <summary>
/// Publishes outbox events to the topic exchange through MassTransit with publisher confirms: routing key and AMQP
/// type = event type, message id = the CloudEvent id, correlation id, persistent, body = the CloudEvent JSON.
/// </summary>
internal sealed class CloudEventPublisher(IBus bus, PublishRefusals refusals, IOptions<EventsExchangeOptions> options) : IEventPublisher
{
    private readonly EventsExchangeOptions settings = options.Value;
    private ISendEndpoint? endpoint;

    public async Task PublishAsync(ClaimedEvent message, CancellationToken cancellationToken)
    {
        endpoint ??= await bus.GetSendEndpoint(new Uri($"exchange:{settings.Exchange}?type=topic&durable=true&autodelete=false"));
        using var tracked = refusals.Track(message.Id, message.Envelope, cancellationToken);
        try
        {
            await Send(message, tracked.Token);
        }
        catch (OperationCanceledException) when (tracked.Refused is { } refusal && !cancellationToken.IsCancellationRequested)
        {
            throw refusal;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && PublishRefusals.Refusal(ex, () => tracked.BodyBytes) is { } refusal)
        {
            throw refusal; // a nack MassTransit passed on as a connection failure
        }
        catch (MessageNotAcknowledgedException ex)
        {
            throw EventRefusedException.Nack(ex.Message, ex);
        }
        catch (MessageReturnedException ex)
        {
            throw EventRefusedException.Returned(ex.Message, ex);
        }
    }

    private async Task Send(ClaimedEvent message, CancellationToken cancellationToken)
    {
        await endpoint!.Send(new PreSerializedCloudEvent(message.Envelope), context =>
        {
            context.Serializer = PreSerializedBodySerializer.Instance;
            context.ContentType = PreSerializedBodySerializer.Instance.ContentType;
            context.MessageId = message.Id;
            context.Durable = true;
            context.SetRoutingKey(message.EventType);
            if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
            {
                rabbit.Mandatory = settings.Mandatory;
                rabbit.BasicProperties.Type = message.EventType;
                rabbit.BasicProperties.CorrelationId = message.CorrelationId;
            }
        }, cancellationToken);
    }
}
