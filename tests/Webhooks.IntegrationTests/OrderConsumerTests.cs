using System.Collections.Concurrent;
using System.Diagnostics;
using FluentAssertions;
using Npgsql;
using RabbitMQ.Client;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>The gateway publishing to an exchange of its own, so the sample's queue sees this class's orders only.</summary>
public sealed class OrderConsumerApp : WebhooksApp
{
    public string Exchange { get; } = "test.events." + Guid.NewGuid().ToString("N")[..12];

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Webhooks:Relay:Exchange"] = Exchange,
    };
}

/// <summary>samples/Webhooks.Samples.OrderConsumer, as its own process, against the gateway and the test broker.</summary>
public sealed class OrderConsumerTests(OrderConsumerApp app) : IClassFixture<OrderConsumerApp>, IAsyncLifetime
{
    private readonly string queue = "test.orders." + Guid.NewGuid().ToString("N")[..12];
    private readonly ConcurrentQueue<string> output = new();
    private TestDatabase orders = null!;
    private Process? consumer;

    public async Task InitializeAsync()
    {
        orders = await TestDatabase.CreateEmptyAsync();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Webhooks.Samples.OrderConsumer.dll")])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ConnectionStrings__RabbitMq"] = TestServices.RabbitMq;
        start.Environment["ConnectionStrings__Orders"] = orders.ConnectionString;
        start.Environment["OrderConsumer__Queue"] = queue;
        start.Environment["OrderConsumer__Exchange"] = app.Exchange;
        consumer = Process.Start(start)!;
        consumer.OutputDataReceived += (_, line) => output.Enqueue(line.Data ?? "");
        consumer.ErrorDataReceived += (_, line) => output.Enqueue(line.Data ?? "");
        consumer.BeginOutputReadLine();
        consumer.BeginErrorReadLine();
        await Eventually.GetAsync(() => output.Any(l => l.Contains("Consuming order events", StringComparison.Ordinal)) || consumer.HasExited, ready => ready,
            TimeSpan.FromSeconds(60), because: "the consumer binds its queue and starts");
        consumer.HasExited.Should().BeFalse(string.Join('\n', output));
    }

    public async Task DisposeAsync()
    {
        if (consumer is { HasExited: false })
        {
            consumer.Kill();
            await consumer.WaitForExitAsync();
        }

        consumer?.Dispose();
        var factory = new ConnectionFactory { Uri = new Uri(TestServices.RabbitMq) };
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.QueueDeleteAsync(queue); // the sample's queue is durable: it would outlive the test
        }

        await orders.DisposeAsync();
    }

    [Fact]
    public async Task SignedShopifyOrder_IsHandledOnceAsOrderCreated_EvenWhenTheRelayPublishesItAgain()
    {
        var orderId = Random.Shared.NextInt64(1, long.MaxValue);
        using var client = app.CreateClient();
        var created = await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(orderId)))).AcceptedAsync();

        await Eventually.GetAsync(() => HandledAsync(orderId, "evt.webhook.order.created"), n => n == 1, because: "the consumer handles the OrderCreated");

        // The relay publishes the same outbox row again (as after a lost "published" mark): same message id.
        var eventId = await app.Database.ScalarAsync<Guid>(
            "SELECT id FROM outbox_messages WHERE inbox_id = $1 AND event_type = 'evt.webhook.order.created'", created.Id);
        await app.Database.ExecuteAsync(
            "UPDATE outbox_messages SET status = 'pending', published_at = NULL, next_attempt_at = now(), claimed_by = NULL, claimed_until = NULL WHERE id = $1", eventId);
        await Eventually.GetAsync(() => app.Database.ScalarAsync<string>("SELECT status FROM outbox_messages WHERE id = $1", eventId), s => s == "published",
            because: "the relay publishes the event again");

        // An event published after the copy: once it is handled, the copy (ahead of it in the queue) has been consumed.
        var paid = Shopify.OrderBody(orderId).Replace("{\"id\"", "{\"processed_at\":\"2026-12-01T10:00:00Z\",\"id\"", StringComparison.Ordinal);
        await (await client.SendAsync(Shopify.Delivery(paid, topic: "orders/paid"))).AcceptedAsync();
        await Eventually.GetAsync(() => HandledAsync(orderId, "evt.webhook.order.paid"), n => n == 1, because: "the consumer handles the later OrderPaid");

        (await HandledAsync(orderId, "evt.webhook.order.created")).Should().Be(1, "the re-published copy carries the same message id");
        output.Should().Contain(l => l.Contains($"Message {eventId}", StringComparison.Ordinal) && l.Contains("skipped", StringComparison.Ordinal));
        (await ScalarAsync<long>("SELECT count(*) FROM consumer_inbox WHERE message_id = $1", eventId)).Should().Be(1);
        (await ScalarAsync<string>("SELECT status FROM orders WHERE order_id = $1", orderId.ToString(System.Globalization.CultureInfo.InvariantCulture))).Should().Be("paid");
    }

    private Task<long> HandledAsync(long orderId, string type) =>
        ScalarAsync<long>("SELECT count(*) FROM order_events WHERE order_id = $1 AND event_type = $2", orderId.ToString(System.Globalization.CultureInfo.InvariantCulture), type);

    private async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(orders.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default! : (T)value;
    }
}
