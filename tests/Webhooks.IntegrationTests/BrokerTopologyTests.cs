using System.Net;
using FluentAssertions;
using RabbitMQ.Client;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>
/// A durable inbound-delivery queue left bound to the events exchange from a time inbound events were consumed: with the
/// option off nobody reads it, so the service unbinds it rather than let it keep a copy of every event.
/// </summary>
public sealed class BrokerTopologyTests
{
    // An events exchange of this test's own: on the shared one, other test classes' events would reach the queue too.
    private readonly string exchange = "test.events." + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Startup_WithInboundDeliveryOff_UnbindsTheAbandonedInboundQueue()
    {
        var queue = "test.abandoned-inbound." + Guid.NewGuid().ToString("N")[..12];
        var factory = new ConnectionFactory { Uri = new Uri(TestServices.RabbitMq) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true, autoDelete: false);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(queue, exchange, "#");
        try
        {
            // Bound, the queue takes every event (a confirmed publish has been enqueued wherever it routes).
            await PublishAsync(channel);
            (await channel.QueueDeclarePassiveAsync(queue)).MessageCount.Should().Be(1u);

            var app = new AbandonedInboundQueueApp(queue, exchange);
            await app.InitializeAsync();
            try
            {
                using var client = app.CreateClient();
                await Eventually.GetAsync(
                    async () => (await client.GetAsync("/api/v1/health/ready")).StatusCode,
                    status => status == HttpStatusCode.OK,
                    TimeSpan.FromSeconds(30));

                await PublishAsync(channel);
                (await channel.QueueDeclarePassiveAsync(queue)).MessageCount.Should().Be(1u, "the service unbound the queue, so the second event did not reach it");
            }
            finally
            {
                await ((IAsyncLifetime)app).DisposeAsync();
            }
        }
        finally
        {
            await channel.QueueDeleteAsync(queue);
            await channel.ExchangeDeleteAsync(exchange);
        }
    }

    private async Task PublishAsync(IChannel channel) =>
        await channel.BasicPublishAsync(exchange, "evt.test.abandoned", mandatory: false, new BasicProperties { Persistent = true }, "{}"u8.ToArray());

    private sealed class AbandonedInboundQueueApp(string queue, string exchange) : WebhooksApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Webhooks:Relay:Exchange"] = exchange,
            ["Webhooks:Delivery:InboundQueue"] = queue,
            ["Webhooks:Delivery:ConsumeInboundEvents"] = "false",
        };
    }
}
