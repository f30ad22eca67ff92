using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Webhooks.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Webhooks.IntegrationTests;

public sealed class BulkReplayKillTests(ITestOutputHelper output)
{
    /// <summary>
    /// A bulk replay of 10,000 dead letters, its service killed with SIGKILL midway: after a restart Hangfire picks the
    /// job up again (its server is gone, so the job's invisibility lapses) and it resumes from its last committed page.
    /// Every letter is replayed once, every event arrives with its unchanged id, and what arrives twice is no more than
    /// what the relay had in flight when it died.
    /// </summary>
    [Fact]
    public async Task BulkReplay_KilledMidway_ResumesAfterARestart_AndEveryEventArrivesWithItsId()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var events = await EventCollector.StartAsync();
        var source = "kill-" + Guid.NewGuid().ToString("N")[..8];
        var ids = (await DeadLetterSeeds.SeedAsync(database, source, 10_000)).Select(id => id.ToString()).ToHashSet();
        var settings = new Dictionary<string, string>
        {
            ["Webhooks__Admin__ApiKey"] = WebhooksApp.AdminKey,
            ["Webhooks__Jobs__InvisibilityTimeout"] = "00:00:05", // a dead server's job is picked up again after 5 s
        };
        var port = ApiProcess.FreePort();

        Guid jobId;
        long processedAtKill;
        await using (var first = await ApiProcess.StartAsync(database, port, settings))
        {
            using var client = Admin(first);
            using var started = await client.PostAsJsonAsync("/api/v1/admin/dead-letters/replay", new { source });
            started.StatusCode.Should().Be(System.Net.HttpStatusCode.Accepted);
            jobId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

            processedAtKill = await Eventually.GetAsync(
                () => database.ScalarAsync<long>("SELECT processed FROM replay_jobs WHERE id = $1", jobId), p => p >= 1_000,
                TimeSpan.FromSeconds(60), poll: TimeSpan.FromMilliseconds(10));
            first.KillHard();
        }

        processedAtKill.Should().BeLessThan(10_000, "the kill must land midway for this test to mean anything");
        await using (var second = await ApiProcess.StartAsync(database, port, settings))
        {
            await Eventually.GetAsync(() => database.ScalarAsync<string>("SELECT status FROM replay_jobs WHERE id = $1", jobId), s => s == "completed",
                TimeSpan.FromSeconds(90), because: "the job resumes on the restarted instance");
            var arrived = await Eventually.GetAsync(
                () => events.Received.Where(e => e.MessageId is not null && ids.Contains(e.MessageId)).ToList(),
                e => e.Select(x => x.MessageId).Distinct().Count() >= 10_000, TimeSpan.FromSeconds(120));
            var duplicates = arrived.Count - arrived.Select(e => e.MessageId).Distinct().Count();
            output.WriteLine($"processed at the kill {processedAtKill}, events {arrived.Count}, re-published duplicates {duplicates}");

            (await database.ScalarAsync<long>("SELECT processed FROM replay_jobs WHERE id = $1", jobId)).Should().Be(10_000, "each letter is replayed once");
            (await database.ScalarAsync<long>("SELECT count(*) FROM dead_letters WHERE source = $1 AND status = 'replayed'", source)).Should().Be(10_000);
            duplicates.Should().BeLessThanOrEqualTo(3 * 256, "only events the relay had in flight at the kill (3 lanes × 256) may be published again");
        }
    }

    private static HttpClient Admin(ApiProcess api)
    {
        var client = new HttpClient { BaseAddress = api.Address, Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WebhooksApp.AdminKey);
        return client;
    }
}
