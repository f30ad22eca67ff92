using System.Collections.Concurrent;
using FluentAssertions;
using Webhooks.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Webhooks.IntegrationTests;

/// <summary>The API process killed with SIGKILL under load, then started again on the same database.</summary>
[Collection(FaultCollection.Name)]
public sealed class CrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ApiKilledWithSigkillUnderLoad_EveryWebhookThatGot200_HasItsEventsOnRabbitMq_AfterARestart()
    {
        await using var events = await EventCollector.StartAsync();
        await using var database = await TestDatabase.CreateAsync();
        var port = ApiProcess.FreePort();
        var accepted = new ConcurrentBag<Guid>();
        var sent = 0;
        var failed = 0;

        await using (var first = await ApiProcess.StartAsync(database, port))
        {
            using var client = new HttpClient { BaseAddress = first.Address, Timeout = TimeSpan.FromSeconds(5) };
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var killed = false;
            var load = Enumerable.Range(0, 16).Select(async worker =>
            {
                for (var i = 0; !stop.IsCancellationRequested && !Volatile.Read(ref killed); i++)
                {
                    Interlocked.Increment(ref sent);
                    try
                    {
                        using var response = await client.SendAsync(Shopify.Delivery(Shopify.OrderBody((worker * 100_000) + i)));
                        if (response.IsSuccessStatusCode)
                        {
                            accepted.Add((await response.AcceptedAsync()).Id);
                        }
                        else
                        {
                            Interlocked.Increment(ref failed);
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        Interlocked.Increment(ref failed); // cut off by the kill: no 200, so the provider would retry
                    }
                }
            }).ToList();

            await Task.Delay(TimeSpan.FromSeconds(2));
            first.KillHard();
            Volatile.Write(ref killed, true);
            await Task.WhenAll(load);
        }

        accepted.Should().NotBeEmpty("the load ran for two seconds before the kill");
        var ids = accepted.Select(id => id.ToString()).ToHashSet();
        await using (var second = await ApiProcess.StartAsync(database, port))
        {
            var arrived = await Eventually.GetAsync(
                () => events.Received.Where(e => e.InboxId is { } inbox && ids.Contains(inbox)).ToList(),
                e => e.Select(x => x.MessageId).Distinct().Count() >= ids.Count * Shopify.EventsPerOrder, TimeSpan.FromSeconds(60));
            var distinct = arrived.Select(e => e.MessageId).Distinct().Count();
            var duplicates = arrived.Count - distinct;
            output.WriteLine($"sent {sent}, 200s {ids.Count}, not answered 200 {failed}, events expected {ids.Count * Shopify.EventsPerOrder}, received {arrived.Count}, distinct {distinct}, re-published duplicates {duplicates}");

            arrived.GroupBy(e => e.InboxId).Should().HaveCount(ids.Count, "every webhook that got a 200 has its events on RabbitMQ");
            arrived.GroupBy(e => e.InboxId).Should().OnlyContain(g => g.Select(e => e.MessageId).Distinct().Count() == Shopify.EventsPerOrder,
                "after de-duplication by message id each webhook yields exactly its three events, none mapped twice");
            (await database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages")).Should().BeGreaterThanOrEqualTo(ids.Count);
            (await database.ScalarAsync<long>("SELECT count(*) FROM dead_letters")).Should().Be(0);
        }
    }
}
