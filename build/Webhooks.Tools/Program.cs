using System.Globalization;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

// Operators' command-line companions to the running service (build/run.sh tail).
//   tail [routing key] [--count N] [--timeout seconds]
// Binds a temporary queue to the webhooks.events exchange and prints every event that arrives: routing key,
// message id and the CloudEvent. With --count it exits 0 after N events, or 1 when --timeout passes first.
if (args.Length == 0 || args[0] != "tail")
{
    Console.Error.WriteLine("usage: Webhooks.Tools tail [routing key] [--count N] [--timeout seconds]");
    return 2;
}

var bindingKey = "#";
int? count = null;
TimeSpan? timeout = null;
for (var i = 1; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--count" when i + 1 < args.Length:
            count = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--timeout" when i + 1 < args.Length:
            timeout = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture));
            break;
        default:
            bindingKey = args[i];
            break;
    }
}

var amqp = Environment.GetEnvironmentVariable("ConnectionStrings__RabbitMq");
if (string.IsNullOrEmpty(amqp))
{
    Console.Error.WriteLine("ConnectionStrings__RabbitMq is not set (build/run.sh tail sets it from the running profile).");
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
if (timeout is { } limit)
{
    stop.CancelAfter(limit);
}

var factory = new ConnectionFactory { Uri = new Uri(amqp), ClientProvidedName = "webhooks-tail" };
await using var connection = await factory.CreateConnectionAsync();
await using var channel = await connection.CreateChannelAsync();
// The exchange is the service's; declaring it with the same settings is a no-op and lets tail start first.
await channel.ExchangeDeclareAsync("webhooks.events", ExchangeType.Topic, durable: true, autoDelete: false);
var queue = await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true);
await channel.QueueBindAsync(queue.QueueName, "webhooks.events", bindingKey);

var seen = 0;
var done = new TaskCompletionSource();
var pretty = new JsonSerializerOptions { WriteIndented = true };
var consumer = new AsyncEventingBasicConsumer(channel);
consumer.ReceivedAsync += (_, delivery) =>
{
    var body = Encoding.UTF8.GetString(delivery.Body.Span);
    try
    {
        body = JsonSerializer.Serialize(JsonDocument.Parse(body).RootElement, pretty);
    }
    catch (JsonException)
    {
        // Not JSON: print it as it came.
    }

    Console.WriteLine($"── {delivery.RoutingKey}  message_id={delivery.BasicProperties.MessageId}");
    Console.WriteLine(body);
    if (count is { } wanted && Interlocked.Increment(ref seen) >= wanted)
    {
        done.TrySetResult();
    }

    return Task.CompletedTask;
};
await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);
Console.Error.WriteLine($"listening on webhooks.events for '{bindingKey}' (Ctrl+C stops)");

await using (stop.Token.Register(() => done.TrySetCanceled()))
{
    try
    {
        await done.Task;
        return 0;
    }
    catch (TaskCanceledException)
    {
        return count is null ? 0 : 1;
    }
}
