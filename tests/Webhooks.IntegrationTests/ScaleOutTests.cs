using System.Globalization;
using FluentAssertions;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Webhooks.IntegrationTests;

/// <summary>Two instances on one database and one broker: ingest on both, both relays racing for the same outbox.</summary>
public sealed class TwoInstanceTests(WebhooksApp app, ITestOutputHelper output) : IClassFixture<WebhooksApp>
{
    [Fact]
    public async Task TwoInstances_IngestOnBoth_RelaysRace_EachEventPublishedOnce_AndARecurringJobRunsOncePerTrigger()
    {
        await using var events = await EventCollector.StartAsync();
        await using var second = new InstanceOn(app.Database);
        await second.InitializeAsync();
        using var first = app.CreateClient();
        using var other = second.CreateClient();

        const int perInstance = 200;
        var sends = Enumerable.Range(0, perInstance * 2).Select(async i =>
        {
            var client = i % 2 == 0 ? first : other;
            return (await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(i)))).AcceptedAsync()).Id;
        });
        var ids = (await Task.WhenAll(sends)).Select(id => id.ToString()).ToHashSet();
        ids.Should().HaveCount(perInstance * 2);

        var arrived = await Eventually.GetAsync(
            () => events.Received.Where(e => e.InboxId is { } inbox && ids.Contains(inbox)).ToList(),
            e => e.Count >= ids.Count * Shopify.EventsPerOrder, TimeSpan.FromSeconds(60));
        await Task.Delay(500); // anything published twice would arrive right behind
        arrived = events.Received.Where(e => e.InboxId is { } inbox && ids.Contains(inbox)).ToList();

        output.WriteLine($"webhooks {ids.Count}, events expected {ids.Count * Shopify.EventsPerOrder}, received {arrived.Count}, distinct ids {arrived.Select(e => e.MessageId).Distinct().Count()}");
        arrived.Should().HaveCount(ids.Count * Shopify.EventsPerOrder).And.OnlyHaveUniqueItems(e => e.MessageId, "in normal operation no event is published twice");
        (await Eventually.GetAsync(() => app.Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.server"), n => n == 2))
            .Should().Be(2, "each instance runs a Hangfire server on the shared storage");

        // Both servers poll the same queue: the triggered run is performed by one of them, once.
        await Eventually.GetAsync(() => app.Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.set WHERE key = 'recurring-jobs' AND value = 'outbox-sweep'"), n => n == 1);
        var jobId = long.Parse(((IRecurringJobManagerV2)app.Services.GetRequiredService<IRecurringJobManager>()).TriggerJob("outbox-sweep"), CultureInfo.InvariantCulture);
        await Eventually.GetAsync(() => app.Database.ScalarAsync<string>("SELECT statename FROM hangfire.job WHERE id = $1", jobId), state => state == "Succeeded");
        await Task.Delay(1000); // a second pick-up would show right behind
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.state WHERE jobid = $1 AND name = 'Processing'", jobId))
            .Should().Be(1, "one server performed it");
    }
}
