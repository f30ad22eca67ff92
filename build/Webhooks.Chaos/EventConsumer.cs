using System.Collections.Concurrent;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Webhooks.Contracts;

namespace Webhooks.Chaos;

/// <summary>One event as the consumer saw it: its CloudEvent type and inbox id, and how many times it came.</summary>
internal sealed class SeenEvent(string? type, string? inboxId)
{
    public string? Type { get; } = type;

    public string? InboxId { get; } = inboxId;

    public int Count;
}

/// <summary>
/// A team's consumer: a durable quorum queue bound to webhooks.events with #, declared before the load, read with
/// manual acks (an event is acknowledged only once recorded, so a broker restart redelivers rather than loses it) on a
/// connection that recovers by itself. Events are counted by message id.
/// </summary>
internal sealed class EventConsumer : IAsyncDisposable
{
    public const string Queue = "chaos.events";
    public const string Kind = "consumer";

    private readonly IConnection connection;
    private readonly IChannel channel;
    private readonly Tally tally;

    private EventConsumer(IConnection connection, IChannel channel, Tally tally)
    {
        this.connection = connection;
        this.channel = channel;
        this.tally = tally;
    }

    /// <summary>Message id → what arrived under it.</summary>
    public ConcurrentDictionary<string, SeenEvent> Seen { get; } = new(StringComparer.Ordinal);

    public static async Task<EventConsumer> StartAsync(string amqp, Tally tally)
    {
        var factory = new ConnectionFactory
        {
            Uri = new Uri(amqp),
            ClientProvidedName = "webhooks-chaos-consumer",
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = TimeSpan.FromSeconds(1),
            RequestedHeartbeat = TimeSpan.FromSeconds(10),
        };
        var connection = await factory.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var consumer = new EventConsumer(connection, channel, tally);
        connection.ConnectionShutdownAsync += (_, _) =>
        {
            tally.Add($"{Kind} connection lost");
            return Task.CompletedTask;
        };
        connection.RecoverySucceededAsync += (_, _) =>
        {
            tally.Add($"{Kind} connection recovered");
            return Task.CompletedTask;
        };

        // The exchange is the gateway's; declaring it with its settings is a no-op.
        await channel.ExchangeDeclareAsync(RoutingKeys.Exchange, ExchangeType.Topic, durable: true, autoDelete: false);
        await channel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        await channel.QueueBindAsync(Queue, RoutingKeys.Exchange, "#");
        await channel.QueuePurgeAsync(Queue);
        await channel.BasicQosAsync(0, 500, false);
        var receiver = new AsyncEventingBasicConsumer(channel);
        receiver.ReceivedAsync += consumer.ReceivedAsync;
        await channel.BasicConsumeAsync(Queue, autoAck: false, receiver);
        return consumer;
    }

    private async Task ReceivedAsync(object sender, BasicDeliverEventArgs delivery)
    {
        tally.Add($"{Kind} deliveries");
        var messageId = delivery.BasicProperties.MessageId;
        if (Guid.TryParse(messageId, out var guid))
        {
            messageId = guid.ToString(); // the outbox id's own spelling, whatever the publisher's
        }

        if (string.IsNullOrEmpty(messageId))
        {
            tally.Add($"{Kind} without message id");
        }
        else
        {
            string? type = null, inboxId = null;
            try
            {
                using var json = JsonDocument.Parse(delivery.Body);
                type = json.RootElement.TryGetProperty("type", out var t) ? t.GetString() : null;
                inboxId = json.RootElement.TryGetProperty("inboxid", out var i) ? i.GetString() : null;
            }
            catch (JsonException)
            {
                tally.Add($"{Kind} unreadable bodies");
            }

            var seen = Seen.GetOrAdd(messageId, _ => new SeenEvent(type, inboxId));
            if (Interlocked.Increment(ref seen.Count) > 1)
            {
                tally.Add($"{Kind} same message id again");
            }
        }

        try
        {
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        }
        catch (Exception e) when (e is RabbitMQ.Client.Exceptions.AlreadyClosedException or OperationCanceledException or IOException)
        {
            // The connection went with the broker: the event stays unacknowledged and comes again after recovery.
            tally.Add($"{Kind} acks lost with the connection");
        }
    }

    /// <summary>Messages still in the queue (ready), or null while the broker cannot say.</summary>
    public async Task<uint?> BacklogAsync()
    {
        try
        {
            return (await channel.QueueDeclarePassiveAsync(Queue)).MessageCount;
        }
        catch (Exception e) when (e is RabbitMQ.Client.Exceptions.OperationInterruptedException or RabbitMQ.Client.Exceptions.AlreadyClosedException or IOException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await channel.DisposeAsync();
        await connection.DisposeAsync();
    }
}
