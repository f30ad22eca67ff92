using System.Buffers.Binary;
using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Webhooks.Bench;

/// <summary>
/// The end-to-end denominator: RabbitMQ.Client alone publishing persistent 1 KB messages with confirms at a fixed rate
/// (open loop) to a topic exchange with one durable queue and a consumer, timing publish → confirm and publish →
/// arrival. No database and no HTTP: what the broker alone costs an event at that rate.
/// </summary>
internal static class RabbitLatency
{
    public static async Task<int> RunAsync(Options options)
    {
        var seconds = options.Int("seconds", 10);
        var rate = options.Int("rate", 2000);
        var factory = new ConnectionFactory { Uri = new Uri(options.Get("amqp")) };
        await using var connection = await factory.CreateConnectionAsync();
        await RabbitCeiling.DeclareQueueAsync(connection, "bench.latency");

        var arrivals = new List<double>(rate * seconds);
        await using var reader = await connection.CreateChannelAsync();
        var consumer = new AsyncEventingBasicConsumer(reader);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var sent = BinaryPrimitives.ReadInt64LittleEndian(delivery.Body.Span);
            lock (arrivals)
            {
                arrivals.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            }

            return Task.CompletedTask;
        };
        await reader.BasicConsumeAsync("bench.latency", autoAck: true, consumer);

        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true, null, null));
        var properties = new BasicProperties { Persistent = true, ContentType = "application/cloudevents+json" };
        var confirms = new List<double>(rate * seconds);
        var inFlight = new List<Task>(rate * seconds);
        var clock = Stopwatch.StartNew();
        long sentCount = 0;
        var total = (long)rate * seconds;
        while (sentCount < total)
        {
            var due = Math.Min(total, (long)(clock.Elapsed.TotalSeconds * rate));
            for (; sentCount < due; sentCount++)
            {
                inFlight.Add(Publish());
            }

            await Task.Delay(1);
        }

        await Task.WhenAll(inFlight);
        await Task.Delay(TimeSpan.FromSeconds(2)); // the last arrivals
        await reader.QueueDeleteAsync("bench.latency");
        List<double> arrived;
        lock (arrivals)
        {
            arrived = [.. arrivals.Order()];
        }

        confirms.Sort();
        Report.Line("rabbit_latency_rate_per_s", rate);
        Report.Line("rabbit_latency_missing", total - arrived.Count);
        Report.Line("rabbit_confirm_p50_ms", Report.Percentile(confirms, 50));
        Report.Line("rabbit_confirm_p99_ms", Report.Percentile(confirms, 99));
        Report.Line("rabbit_arrival_p50_ms", Report.Percentile(arrived, 50));
        Report.Line("rabbit_arrival_p99_ms", Report.Percentile(arrived, 99));
        return 0;

        async Task Publish()
        {
            var body = new byte[1024];
            var started = Stopwatch.GetTimestamp();
            BinaryPrimitives.WriteInt64LittleEndian(body, started);
            await channel.BasicPublishAsync("bench.latency", "evt.bench", mandatory: false, properties, body);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            lock (confirms)
            {
                confirms.Add(elapsed);
            }
        }
    }
}
