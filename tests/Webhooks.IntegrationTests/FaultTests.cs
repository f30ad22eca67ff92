using System.Diagnostics;
using System.Net;
using FluentAssertions;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>Stops the real test servers, so it runs alone, after the parallel classes.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection
{
    public const string Name = "Faults";
}

[Collection(FaultCollection.Name)]
public sealed class PostgresOutageTests(WebhooksApp app) : IClassFixture<WebhooksApp>
{
    [Fact]
    public async Task Receive_WhilePostgresIsStopped_Answers503WithinTenSeconds_AndRecoversOnTheVeryNextRequest()
    {
        using var client = app.CreateClient();
        (await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(1)))).AcceptedAsync()).Duplicate.Should().BeFalse();

        await TestServices.ControlAsync("pg-stop");
        try
        {
            var eventId = Guid.NewGuid().ToString();
            var clock = Stopwatch.StartNew();
            using var down = await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(2), eventId: eventId));
            clock.Stop();

            await down.ProblemAsync(503);
            down.Headers.RetryAfter.Should().NotBeNull();
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
            (await client.GetAsync("/api/v1/health/ready")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        }
        finally
        {
            await TestServices.ControlAsync("pg-start");
        }

        // No request in between: the first one after the restart must not meet a dead pooled connection.
        using var back = await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(3)));
        (await back.AcceptedAsync()).Duplicate.Should().BeFalse();

        // And a restart between two successful requests, with warm pooled connections, is just as invisible.
        await TestServices.ControlAsync("pg-stop");
        await TestServices.ControlAsync("pg-start");
        using var afterRestart = await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(4)));
        (await afterRestart.AcceptedAsync()).Duplicate.Should().BeFalse();
    }
}

[Collection(FaultCollection.Name)]
public sealed class BrokerOutageTests(WebhooksApp app) : IClassFixture<WebhooksApp>
{
    [Fact]
    public async Task Receive_WhileRabbitMqIsStopped_AcceptsAll_ThenDeliversAllAfterRestart_WithoutDeadLetters()
    {
        using var client = app.CreateClient();
        await using var events = await EventCollector.StartAsync();
        await Eventually.GetAsync(async () => (await client.GetAsync("/api/v1/health/ready")).StatusCode, s => s == HttpStatusCode.OK);

        var ids = new List<Guid>();
        await TestServices.ControlAsync("mq-stop");
        try
        {
            for (var i = 0; i < 20; i++)
            {
                using var response = await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(5000 + i)));
                ids.Add((await response.AcceptedAsync()).Id);
            }

            (await client.GetAsync("/api/v1/health/ready")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        }
        finally
        {
            await TestServices.ControlAsync("mq-start");
        }

        var arrived = await Eventually.GetAsync(
            () => ids.Count(id => events.ForInbox(id).Any(e => e.RoutingKey == "evt.webhook.order.created")),
            n => n == 20,
            TimeSpan.FromSeconds(120),
            "every accepted webhook's event arrives once the broker is back");

        arrived.Should().Be(20);
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM dead_letters")).Should().Be(0);
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE status = 'dead'")).Should().Be(0);
    }
}
