using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Webhooks.IntegrationTests.Infrastructure;

/// <summary>One event as a consumer bound to webhooks.events receives it: routing key, AMQP properties and body.</summary>
internal sealed record ReceivedEvent(
    string RoutingKey,
    string? MessageId,
    string? CorrelationId,
    string? Type,
    string? ContentType,
    bool Persistent,
    string Body)
{
    /// <summary>Parsed as deep as the gateway stores: a body 64 levels deep is two deeper inside evt.webhook.received.</summary>
    public JsonElement Json => JsonDocument.Parse(Body, new JsonDocumentOptions { MaxDepth = 256 }).RootElement;

    public string? InboxId => Json.TryGetProperty("inboxid", out var value) ? value.GetString() : null;
}

/// <summary>
/// A durable queue of the test's own, bound to the topic exchange, that records every event it receives. It survives
/// a broker restart (durable queue, automatic recovery), so outage tests can count what arrives afterwards.
/// </summary>
internal sealed class EventCollector : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedEvent> received = new();
    private readonly string queue = "test." + Guid.NewGuid().ToString("N");
    private IConnection? connection;
    private IChannel? channel;

    public IReadOnlyCollection<ReceivedEvent> Received => received;

    public static async Task<EventCollector> StartAsync(string exchange = "webhooks.events", string bindingKey = "#", string? connection = null)
    {
        var collector = new EventCollector();
        var factory = new ConnectionFactory
        {
            Uri = new Uri(connection ?? TestServices.RabbitMq),
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = TimeSpan.FromSeconds(1),
        };
        collector.connection = await factory.CreateConnectionAsync();
        collector.channel = await collector.connection.CreateChannelAsync();
        await collector.channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true, autoDelete: false);
        await collector.channel.QueueDeclareAsync(collector.queue, durable: true, exclusive: false, autoDelete: false);
        await collector.channel.QueueBindAsync(collector.queue, exchange, bindingKey);
        var consumer = new AsyncEventingBasicConsumer(collector.channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var properties = delivery.BasicProperties;
            collector.received.Enqueue(new ReceivedEvent(
                delivery.RoutingKey,
                properties.MessageId,
                properties.CorrelationId,
                properties.Type,
                properties.ContentType,
                properties.Persistent,
                Encoding.UTF8.GetString(delivery.Body.Span)));
            return Task.CompletedTask;
        };
        await collector.channel.BasicConsumeAsync(collector.queue, autoAck: true, consumer);
        return collector;
    }

    public List<ReceivedEvent> ForInbox(Guid inboxId) => received.Where(e => e.InboxId == inboxId.ToString()).ToList();

    public async ValueTask DisposeAsync()
    {
        if (channel is not null)
        {
            try
            {
                await channel.QueueDeleteAsync(queue);
            }
            catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.AlreadyClosedException or RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
            }

            await channel.DisposeAsync();
        }

        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }
}
