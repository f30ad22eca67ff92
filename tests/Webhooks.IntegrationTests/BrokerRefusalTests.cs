using FluentAssertions;
using RabbitMQ.Client;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>
/// An exchange of its own where the order events are routed to a queue that holds nothing and refuses what it cannot
/// hold (<c>x-max-length: 0</c>, <c>x-overflow: reject-publish</c>): the broker, otherwise healthy, nacks every order
/// event, while the other events of the same webhook are confirmed.
/// </summary>
public sealed class RefusingQueueApp : WebhooksApp
{
    public string Exchange { get; } = "webhooks.refusing." + Guid.NewGuid().ToString("N")[..8];

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Webhooks:Relay:Exchange"] = Exchange,
        ["Webhooks:Relay:MaxAttempts"] = "3",
        ["Webhooks:Relay:InitialDelay"] = "00:00:00.020",
        ["Webhooks:Relay:MaxDelay"] = "00:00:00.100",
    };

    public override async Task InitializeAsync()
    {
        var factory = new ConnectionFactory { Uri = new Uri(TestServices.RabbitMq) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(Exchange, ExchangeType.Topic, durable: true, autoDelete: false);
        var queue = Exchange + ".full";
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, new Dictionary<string, object?>
        {
            ["x-max-length"] = 0,
            ["x-overflow"] = "reject-publish",
        });
        await channel.QueueBindAsync(queue, Exchange, "evt.webhook.order.created");
        await base.InitializeAsync();
    }
}

/// <summary>
/// Protects the relay's failure behaviour that consumers and operators rely on (contract v3, Operations): an event the
/// broker refuses while it is reachable spends its attempts and ends as a dead letter; its neighbours keep flowing.
/// </summary>
public sealed class BrokerRefusalTests(RefusingQueueApp app) : IClassFixture<RefusingQueueApp>
{
    [Fact]
    public async Task Relay_WhenAQueueRejectsPublishes_DeadLettersTheNackedEventAfterMaxAttempts_AndPublishesTheOthers()
    {
        await using var events = await EventCollector.StartAsync(app.Exchange, "evt.webhook.received");
        using var client = app.CreateClient();
        var accepted = await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(77)))).AcceptedAsync();

        var letter = await Eventually.GetAsync(
            () => app.Database.ScalarAsync<string>(
                "SELECT json_build_object('attempts', attempts, 'last_error', last_error)::text FROM dead_letters WHERE event_type = 'evt.webhook.order.created' AND event_id IN (SELECT id FROM outbox_messages WHERE inbox_id = $1)",
                accepted.Id),
            l => !string.IsNullOrEmpty(l),
            TimeSpan.FromSeconds(30),
            "the nacked order event is dead-lettered once its 3 attempts are spent");

        letter.Should().Contain("\"attempts\" : 3");
        letter.Should().ContainAny("nack", "refused");
        await Eventually.GetAsync(() => events.ForInbox(accepted.Id).Count, n => n >= 1, TimeSpan.FromSeconds(10), "evt.webhook.received is confirmed and delivered");
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE inbox_id = $1 AND event_type = 'evt.webhook.received' AND status = 'published'", accepted.Id))
            .Should().Be(1);
    }
}

/// <summary>The service on the RabbitMQ node that refuses messages over 64 KiB (it closes the channel for them).</summary>
public sealed class SmallMessagesApp : WebhooksApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ConnectionStrings:RabbitMq"] = TestServices.RabbitMqWithSmallMessages,
        ["Webhooks:Relay:MaxAttempts"] = "3",
        ["Webhooks:Relay:InitialDelay"] = "00:00:00.020",
        ["Webhooks:Relay:MaxDelay"] = "00:00:00.100",
    };
}

/// <summary>
/// Protects the relay's failure behaviour for an event the broker will never take (contract v3, Operations): a message
/// over the broker's max_message_size spends its attempts and is dead-lettered, and the events around it keep flowing.
/// </summary>
public sealed class OversizedEventTests(SmallMessagesApp app) : IClassFixture<SmallMessagesApp>
{
    [Fact]
    public async Task Relay_WhenTheBrokerClosesTheChannelForAnOversizedEvent_DeadLettersItAfterMaxAttempts_AndOthersKeepFlowing()
    {
        await using var events = await EventCollector.StartAsync(connection: TestServices.RabbitMqWithSmallMessages);
        using var client = app.CreateClient();

        // evt.webhook.received carries the whole body (over the node's limit); the order event carries its fields (far under).
        var note = new string('x', TestServices.SmallMessagesLimit + 1024);
        var large = Shopify.OrderBody(4401).Replace("\"name\":\"#1001\"", $"\"name\":\"#1001\",\"note\":\"{note}\"", StringComparison.Ordinal);
        var big = await (await client.SendAsync(Shopify.Delivery(large))).AcceptedAsync();
        var small = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            small.Add((await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(4500 + i)))).AcceptedAsync()).Id);
        }

        var letter = await Eventually.GetAsync(
            () => app.Database.ScalarAsync<string>(
                "SELECT json_build_object('attempts', attempts, 'last_error', last_error)::text FROM dead_letters WHERE event_type = 'evt.webhook.received' AND event_id IN (SELECT id FROM outbox_messages WHERE inbox_id = $1)",
                big.Id),
            l => !string.IsNullOrEmpty(l),
            TimeSpan.FromSeconds(60),
            "the oversized event is dead-lettered once its 3 attempts are spent");
        letter.Should().Contain("\"attempts\" : 3").And.Contain("larger than");
        // The body is stored once while the event waits; a dead event keeps its complete envelope (in the dead letter
        // and the outbox row a replay requeues), so a replay after retention removed the inbox row still carries it.
        (await app.Database.ScalarAsync<bool>(
            "SELECT position($2 IN d.envelope) > 0 AND position($2 IN o.envelope) > 0 AND o.payload_at IS NULL FROM dead_letters d JOIN outbox_messages o ON o.id = d.event_id WHERE o.inbox_id = $1 AND o.event_type = 'evt.webhook.received'",
            big.Id, note)).Should().BeTrue();

        await Eventually.GetAsync(
            () => small.Count(id => events.ForInbox(id).Any(e => e.RoutingKey == "evt.webhook.order.created") && events.ForInbox(id).Any(e => e.RoutingKey == "evt.webhook.received")),
            n => n == small.Count,
            TimeSpan.FromSeconds(30),
            "every other webhook's events are published");
        events.ForInbox(big.Id).Should().Contain(e => e.RoutingKey == "evt.webhook.order.created", "the oversized webhook's small event is published too");
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM dead_letters")).Should().Be(1, "only the oversized event is refused");
    }
}
