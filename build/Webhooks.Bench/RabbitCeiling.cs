using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Webhooks.Bench;

/// <summary>
/// The broker denominator: RabbitMQ.Client alone publishing persistent 1 KB messages with confirms to a topic exchange
/// with one bound durable queue, with a window of publishes outstanding (the client's confirm rate limiter off, so the window is the only bound).
/// </summary>
internal static class RabbitCeiling
{
    public static async Task<int> RunAsync(Options options)
    {
        var seconds = options.Int("seconds", 20);
        var window = options.Int("window", 1000);
        var consume = options.Int("consume", 0) == 1;
        var factory = new ConnectionFactory { Uri = new Uri(options.Get("amqp")) };
        await using var connection = await factory.CreateConnectionAsync();
        await DeclareQueueAsync(connection, "bench.ceiling");

        // With --consume 1 a consumer drains the queue as the relay benchmark's does, so the broker also delivers each message.
        await using var reader = await connection.CreateChannelAsync();
        long received = 0;
        if (consume)
        {
            var consumer = new AsyncEventingBasicConsumer(reader);
            consumer.ReceivedAsync += (_, _) =>
            {
                Interlocked.Increment(ref received);
                return Task.CompletedTask;
            };
            await reader.BasicConsumeAsync("bench.ceiling", autoAck: true, consumer);
        }

        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true, null, null));
        var body = new byte[1024];
        Random.Shared.NextBytes(body);
        var properties = new BasicProperties { Persistent = true, ContentType = "application/cloudevents+json" };
        var clock = Stopwatch.StartNew();
        var end = TimeSpan.FromSeconds(seconds);
        long published = 0;
        using var slots = new SemaphoreSlim(window);
        var inFlight = new List<Task>();
        while (clock.Elapsed < end)
        {
            await slots.WaitAsync();
            inFlight.Add(Publish());
            if (inFlight.Count > window * 4)
            {
                inFlight.RemoveAll(t => t.IsCompleted);
            }
        }

        await Task.WhenAll(inFlight);
        var elapsed = clock.Elapsed.TotalSeconds;
        Report.Line("rabbit_ceiling_msgs_per_s", published / elapsed);
        if (consume)
        {
            Report.Line("rabbit_ceiling_received", Interlocked.Read(ref received));
        }

        await using (var cleanup = await connection.CreateChannelAsync())
        {
            await cleanup.QueueDeleteAsync("bench.ceiling");
        }

        return 0;

        async Task Publish()
        {
            try
            {
                await channel.BasicPublishAsync("bench.ceiling", "evt.bench", mandatory: false, properties, body);
                Interlocked.Increment(ref published);
            }
            finally
            {
                slots.Release();
            }
        }
    }

    /// <summary>A durable topic exchange and an empty durable queue of the same name, bound with '#'.</summary>
    public static async Task DeclareQueueAsync(IConnection connection, string name)
    {
        await using var setup = await connection.CreateChannelAsync();
        await setup.ExchangeDeclareAsync(name, ExchangeType.Topic, durable: true, autoDelete: false);
        await setup.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false);
        await setup.QueueBindAsync(name, name, "#");
        await setup.QueuePurgeAsync(name);
    }
}
