using System.Diagnostics;
using FluentAssertions;
using Webhooks.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Webhooks.IntegrationTests;

/// <summary>
/// The reason backfill exists: PostgreSQL stopped while GitHub delivers, every delivery answered 503 (never a 200 for
/// what was not stored) and recorded by GitHub as failed — and GitHub never tries again. With PostgreSQL back, the
/// scheduler (Every = 5 s) notices at once, asks GitHub to redeliver each, and each arrives signed and is stored once,
/// its events published once.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class BackfillOutageTests(ScheduledBackfillApp app, ITestOutputHelper output) : IClassFixture<ScheduledBackfillApp>
{
    private const int Deliveries = 20;

    [Fact]
    public async Task GitHubDeliveriesAnswered503WhilePostgresWasDown_AreRedeliveredAndStoredOnce_WithinOneBackfillCycle()
    {
        var github = app.GitHub;
        await using var events = await EventCollector.StartAsync();
        await Eventually.GetAsync(RunsAsync, n => n >= 1, TimeSpan.FromSeconds(30), "the scheduler runs the backfill");

        await TestServices.ControlAsync("pg-stop");
        List<GitHubApiStub.Delivery> failed;
        Stopwatch sinceRestart;
        try
        {
            failed = (await Task.WhenAll(Enumerable.Range(1, Deliveries).Select(n => github.DeliverAsync("push", GitHubApiStub.PushBody(n))))).ToList();
        }
        finally
        {
            await TestServices.ControlAsync("pg-start");
            sinceRestart = Stopwatch.StartNew();
        }

        failed.Should().OnlyContain(d => d.StatusCode == 503 && d.Status == "Invalid HTTP Response: 503", "nothing can be stored while the database is down");
        var guids = failed.Select(d => d.DeliveryGuid).ToList();

        // A redelivery answered 200 is stored (never a 2xx before the commit): GitHub's own record says when.
        await Eventually.GetAsync(
            () => github.Deliveries.Where(d => d.Redelivery && d.StatusCode == 200).Select(d => d.DeliveryGuid).Intersect(guids).Count(), n => n == Deliveries,
            TimeSpan.FromSeconds(60), "every delivery GitHub recorded as failed is redelivered and stored");
        var stored = sinceRestart.Elapsed;
        await Eventually.GetAsync(() => StoredOrNoneAsync(guids), keys => keys.Count == Deliveries, TimeSpan.FromSeconds(30), "the inbox holds them");
        var inbox = (await app.Database.ScalarAsync<Guid[]>("SELECT array_agg(id) FROM inbox_messages WHERE source = 'github' AND idempotency_key = ANY($1)", (object)guids.ToArray()))
            .Select(id => id.ToString()).ToHashSet();
        var arrived = await Eventually.GetAsync(
            () => Task.FromResult(events.Received.Where(e => e.InboxId is { } id && inbox.Contains(id)).ToList()), list => list.Count >= Deliveries * 3,
            TimeSpan.FromSeconds(60), "received, git.push and processed for each", TimeSpan.FromMilliseconds(100));
        var published = sinceRestart.Elapsed;

        // Two more complete runs (a whole cycle after the recovery): nothing asked twice, nothing stored or published twice.
        var runs = await RunsAsync();
        await Eventually.GetAsync(RunsAsync, n => n >= runs + 2, TimeSpan.FromSeconds(30), "the scheduler keeps running the backfill");
        github.RedeliveryRequests.Should().BeEquivalentTo(failed.Select(d => d.Id), "each failed delivery is asked for once");
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE source = 'github' AND idempotency_key = ANY($1)", (object)guids.ToArray()))
            .Should().Be(Deliveries, "each delivery is in the inbox exactly once");
        arrived = events.Received.Where(e => e.InboxId is { } id && inbox.Contains(id)).ToList();
        arrived.Should().HaveCount(Deliveries * 3, "each event is published once");
        arrived.Select(e => e.MessageId).Should().OnlyHaveUniqueItems();
        arrived.GroupBy(e => e.InboxId).Should().OnlyContain(g => g.Select(e => e.RoutingKey).OrderBy(k => k, StringComparer.Ordinal)
            .SequenceEqual(new[] { "evt.webhook.git.push", "evt.webhook.processed", "evt.webhook.received" }));
        arrived.Count(e => e.Json.TryGetProperty("backfilled", out _)).Should().Be(0, "GitHub delivered them again: they were received, not imported");

        output.WriteLine($"PostgreSQL back → all {Deliveries} redelivered and stored: {stored.TotalSeconds:0.00} s; their {Deliveries * 3} events on RabbitMQ: {published.TotalSeconds:0.00} s (Webhooks:Backfill:Every = 5 s)");
        stored.Should().BeLessThan(TimeSpan.FromSeconds(5 + 10), "within one backfill cycle of the database's return (plus the redeliveries' own time)");
    }

    private Task<long> RunsAsync() => app.Database.ScalarAsync<long>("SELECT coalesce(sum(runs), 0)::bigint FROM backfill_state WHERE source = 'github'");

    /// <summary>The test's own connections may meet the restart too: a probe that fails counts as nothing stored yet.</summary>
    private async Task<IReadOnlyCollection<string>> StoredOrNoneAsync(IEnumerable<string> guids)
    {
        try
        {
            return await Backfills.StoredKeysAsync(app, "github", guids);
        }
        catch (Npgsql.NpgsqlException)
        {
            return [];
        }
    }
}
