using RabbitMQ.Client;

namespace Webhooks.IntegrationTests.Infrastructure;

/// <summary>An internal service publishing a CloudEvent to webhooks.outbound, as it would (raw JSON, persistent).</summary>
internal static class OutboundPublisher
{
    public static async Task PublishTwiceAsync(byte[] cloudEvent, string messageId, string routingKey)
    {
        var factory = new ConnectionFactory { Uri = new Uri(TestServices.RabbitMq) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await channel.ExchangeDeclareAsync("webhooks.outbound", ExchangeType.Topic, durable: true, autoDelete: false);
        var properties = new BasicProperties { MessageId = messageId, ContentType = "application/cloudevents+json", Persistent = true };
        for (var i = 0; i < 2; i++)
        {
            await channel.BasicPublishAsync("webhooks.outbound", routingKey, mandatory: false, properties, cloudEvent);
        }
    }
}
