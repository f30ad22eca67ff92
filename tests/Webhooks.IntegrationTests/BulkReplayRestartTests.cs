using FluentAssertions;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Application.Admin.DeadLetters;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

public sealed class BulkReplayRestartTests
{
    /// <summary>
    /// A service stopped in the middle of a bulk replay leaves the committed pages replayed and the job "running" with
    /// their progress. After a restart the recovered job continues: the rest are replayed, none of the first page again.
    /// </summary>
    [Fact]
    public async Task BulkReplay_ResumedAfterARestartMidway_ReplaysEveryLetterExactlyOnce()
    {
        var source = "restart-" + Guid.NewGuid().ToString("N")[..8];
        await using var events = await EventCollector.StartAsync();
        Guid jobId;
        List<Guid> eventIds;
        TestDatabase database;

        // First life: queue the job, then commit one page by hand as the crashed run had, and stop.
        var first = new WebhooksApp();
        await first.InitializeAsync();
        database = first.Database;
        eventIds = await DeadLetterSeeds.SeedAsync(database, source, 1200);
        jobId = await QueueWithoutRunning(database, source, 1200);

        await database.ExecuteAsync("""
            WITH page AS (SELECT id, event_id, created_at FROM dead_letters WHERE source = $1 AND status = 'dead' ORDER BY id LIMIT 500),
            letters AS (UPDATE dead_letters d SET status = 'replayed', replayed_at = now() FROM page WHERE d.id = page.id RETURNING page.event_id),
            events AS (UPDATE outbox_messages o SET status = 'pending', attempts = 0, next_attempt_at = now() FROM letters WHERE o.id = letters.event_id)
            UPDATE replay_jobs SET status = 'running', started_at = now(), processed = 500 WHERE id = $2
            """, source, jobId);
        await first.DisposeForRestartAsync();

        // Second life on the same database: the recovered job runs again.
        var second = new InstanceOn(database);
        await second.InitializeAsync();
        await using (var scope = second.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new RunReplayJob(jobId));
            result.Status.Should().Be("completed");
            result.Processed.Should().Be(1200);
        }

        var wanted = eventIds.Select(id => id.ToString()).ToHashSet();
        var arrived = await Eventually.GetAsync(
            () => events.Received.Where(e => e.MessageId is not null && wanted.Contains(e.MessageId)).ToList(),
            e => e.Count >= 1200, TimeSpan.FromSeconds(60));
        arrived.Should().HaveCount(1200).And.OnlyHaveUniqueItems(e => e.MessageId);
        (await database.ScalarAsync<long>("SELECT count(*) FROM dead_letters WHERE source = $1 AND status = 'replayed'", source)).Should().Be(1200);
        await second.DisposeForRestartAsync();
        await database.DisposeAsync();
    }

    private static async Task<Guid> QueueWithoutRunning(TestDatabase database, string source, long total)
    {
        var id = Guid.CreateVersion7();
        await database.ExecuteAsync(
            "INSERT INTO replay_jobs (id, filter, status, total, processed, created_at) VALUES ($1, $2::jsonb, 'queued', $3, 0, now())",
            id, $$"""{"source":"{{source}}"}""", total);
        return id;
    }
}
