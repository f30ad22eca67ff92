using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
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
public sealed class PostgresOutageApiTests(WebhooksApp app) : IClassFixture<WebhooksApp>
{
    /// <summary>
    /// Not only ingest: an outage of the database is answered 503 + Retry-After by the outbound intake and the admin
    /// API too, never 500 (POST /api/v1/events answered 500 with a stack trace in the log; found by the chaos test).
    /// </summary>
    [Fact]
    public async Task PublishingAnEvent_AndAnAdminRead_WhilePostgresIsStopped_Answer503WithRetryAfter()
    {
        using var admin = app.CreateAdminClient();
        (await admin.GetAsync("/api/v1/admin/inbox")).StatusCode.Should().Be(HttpStatusCode.OK);

        await TestServices.ControlAsync("pg-stop");
        try
        {
            using var publish = await admin.PostAsJsonAsync("/api/v1/events", new { type = "order.created", data = new { n = 1 } });
            await publish.ProblemAsync(503);
            publish.Headers.RetryAfter.Should().NotBeNull();

            using var read = await admin.GetAsync("/api/v1/admin/inbox");
            await read.ProblemAsync(503);
            read.Headers.RetryAfter.Should().NotBeNull();
        }
        finally
        {
            await TestServices.ControlAsync("pg-start");
        }
    }
}

[Collection(FaultCollection.Name)]
public sealed class PostgresOutageUnderLoadTests(WebhooksApp app) : IClassFixture<WebhooksApp>
{
    /// <summary>PostgreSQL stopped for 10 s under load: never a 2xx for what was not stored, then full recovery.</summary>
    [Fact]
    public async Task Receive_UnderLoadWhilePostgresIsStoppedFor10s_AnswersOnly503WhileDown_EveryOkIsStored_AndRecovers()
    {
        using var client = app.CreateClient();
        var load = new SteadyLoad();
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(client, workers: 4, pause: TimeSpan.FromMilliseconds(20), stop.Token);
        await Task.Delay(1000);

        await TestServices.ControlAsync("pg-stop");
        var down = load.NowMs;
        await Task.Delay(TimeSpan.FromSeconds(10));
        var up = load.NowMs;
        await TestServices.ControlAsync("pg-start");
        await Task.Delay(3000);
        await stop.CancelAsync();
        await running;

        var whileDown = load.Answers.Where(a => a.SentMs > down && a.AnsweredMs < up).ToList();
        whileDown.Should().NotBeEmpty().And.OnlyContain(a => a.Status == 503, "nothing can be stored while the database is down");
        var ok = load.Answers.Where(a => a.Status == 200).Select(a => a.InboxId!.Value).ToArray();
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE id = ANY($1)", ok)).Should().Be(ok.Length, "every 200 was stored");
        load.Answers.Should().OnlyContain(a => a.Status == 200 || a.Status == 503);
        var afterRecovery = load.Answers.Where(a => a.SentMs > up + 1000).ToList();
        afterRecovery.Should().NotBeEmpty().And.OnlyContain(a => a.Status == 200, "service is fully back a second after the database");
    }
}

[Collection(FaultCollection.Name)]
public sealed class BrokerOutageTests(WebhooksApp app) : IClassFixture<WebhooksApp>
{
    /// <summary>RabbitMQ stopped for 30 s while webhooks keep coming: ingest keeps answering 200, the backlog drains after.</summary>
    [Fact]
    public async Task Receive_UnderLoadWhileRabbitMqIsStoppedFor30s_AnswersOnly200_ThenDeliversAll_WithoutDeadLetters()
    {
        using var client = app.CreateClient();
        await using var events = await EventCollector.StartAsync();
        await Eventually.GetAsync(async () => (await client.GetAsync("/api/v1/health/ready")).StatusCode, s => s == HttpStatusCode.OK);

        var load = new SteadyLoad();
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(client, workers: 4, pause: TimeSpan.FromMilliseconds(20), stop.Token);
        await Task.Delay(1000);
        await TestServices.ControlAsync("mq-stop");
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(30));
            (await client.GetAsync("/api/v1/health/ready")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        }
        finally
        {
            await TestServices.ControlAsync("mq-start");
        }

        await Task.Delay(1000);
        await stop.CancelAsync();
        await running;

        load.Answers.Should().OnlyContain(a => a.Status == 200, "the broker is not on the ingest path");
        var ids = load.Answers.Select(a => a.InboxId!.Value.ToString()).ToHashSet();
        var arrived = await Eventually.GetAsync(
            () => events.Received.Where(e => e.InboxId is { } inbox && ids.Contains(inbox) && e.RoutingKey == "evt.webhook.order.created").Select(e => e.InboxId).Distinct().Count(),
            n => n == ids.Count,
            TimeSpan.FromSeconds(120),
            "every accepted webhook's event arrives once the broker is back");

        arrived.Should().Be(ids.Count);
        ids.Count.Should().BeGreaterThan(500, "the load kept going through the outage");
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM dead_letters")).Should().Be(0);
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE status = 'dead'")).Should().Be(0);
    }
}
