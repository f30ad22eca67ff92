using System.Net;
using FluentAssertions;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>The Hangfire Dashboard at /hangfire: admin keys only, with the Dead letters and Relay pages inside it.</summary>
public sealed class HangfireDashboardTests(ReadOnlyKeyApp app) : IClassFixture<ReadOnlyKeyApp>
{
    [Fact]
    public async Task Anonymous_Gets401WithTheBasicLoginPrompt()
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync("/hangfire");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().Should().StartWith("Basic");
    }

    [Fact]
    public async Task Admin_SeesTheStandardPagesAndOurs()
    {
        using var client = app.CreateDashboardClient(WebhooksApp.AdminKey);
        foreach (var (path, expected) in new[] { ("/hangfire", "Dead letters"), ("/hangfire/recurring", "outbox-sweep"), ("/hangfire/relay", "Next attempts") })
        {
            var page = await Eventually.GetAsync(async () => await client.GetStringAsync(path), p => p.Contains(expected, StringComparison.Ordinal), because: path);
            page.Should().Contain("Relay");
        }
    }

    [Fact]
    public async Task ReplayOne_FromTheDeadLettersPage_IsAHangfireJob_AndTheEventArrivesWithItsId()
    {
        await using var events = await EventCollector.StartAsync();
        var source = "hf-" + Guid.NewGuid().ToString("N")[..6];
        var eventId = (await DeadLetterSeeds.SeedAsync(app.Database, source, 1))[0];
        var letterId = await app.Database.ScalarAsync<Guid>("SELECT id FROM dead_letters WHERE event_id = $1", eventId);
        using var client = app.CreateDashboardClient(WebhooksApp.AdminKey);

        var page = await client.GetStringAsync($"/hangfire/dead-letters?source={source}");
        page.Should().Contain(DeadLetterSeeds.EventType);
        using var replay = await client.PostAsync($"/admin/dead-letters/{letterId}/replay", Form(page, ("return_to", "/hangfire/dead-letters")));

        replay.StatusCode.Should().Be(HttpStatusCode.Redirect);
        replay.Headers.Location!.ToString().Should().StartWith("/hangfire/jobs/details/", "the job's own page opens");
        var jobId = long.Parse(replay.Headers.Location!.ToString().Split('/').Last(), System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.GetAsync(() => app.Database.ScalarAsync<string>("SELECT statename FROM hangfire.job WHERE id = $1", jobId), s => s == "Succeeded");
        var arrived = await Eventually.GetAsync(() => events.Received.Where(e => e.MessageId == eventId.ToString()).ToList(), e => e.Count > 0);
        arrived.Should().ContainSingle("the replayed event keeps its CloudEvent id");
    }

    [Fact]
    public async Task AReplayThatFails_LandsInHangfiresFailedList_NotRetriedBehindTheOperatorsBack()
    {
        var source = "hf-fail-" + Guid.NewGuid().ToString("N")[..6];
        var eventId = (await DeadLetterSeeds.SeedAsync(app.Database, source, 1))[0];
        var letterId = await app.Database.ScalarAsync<Guid>("SELECT id FROM dead_letters WHERE event_id = $1", eventId);
        await app.Database.ExecuteAsync("DELETE FROM outbox_messages WHERE id = $1", eventId); // gone with retention
        using var client = app.CreateDashboardClient(WebhooksApp.AdminKey);

        using var replay = await client.PostAsync($"/admin/dead-letters/{letterId}/replay", Form(await client.GetStringAsync("/hangfire/dead-letters"), ("return_to", "/hangfire/dead-letters")));

        var jobId = long.Parse(replay.Headers.Location!.ToString().Split('/').Last(), System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.GetAsync(() => app.Database.ScalarAsync<string>("SELECT statename FROM hangfire.job WHERE id = $1", jobId), s => s == "Failed");
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.state WHERE jobid = $1 AND name = 'Processing'", jobId)).Should().Be(1, "no automatic retry");
        (await client.GetStringAsync("/hangfire/jobs/failed")).Should().Contain("Replay dead letter");
    }

    [Fact]
    public async Task ReplayMatching_FromTheDeadLettersPage_RunsTheBulkReplayJob()
    {
        await using var events = await EventCollector.StartAsync();
        var source = "hf-bulk-" + Guid.NewGuid().ToString("N")[..6];
        var ids = (await DeadLetterSeeds.SeedAsync(app.Database, source, 30)).Select(id => id.ToString()).ToHashSet();
        using var client = app.CreateDashboardClient(WebhooksApp.AdminKey);
        var page = await client.GetStringAsync($"/hangfire/dead-letters?source={source}");

        page.Should().Contain("action=\"/admin/dead-letters/replay\"", "the page's forms are /admin's, one implementation for both dashboards");
        using var replay = await client.PostAsync("/admin/dead-letters/replay", Form(page, ("source", source), ("return_to", "/hangfire/dead-letters")));

        replay.StatusCode.Should().Be(HttpStatusCode.Redirect);
        replay.Headers.Location!.ToString().Should().StartWith("/admin/jobs/", "the bulk replay's progress page opens");
        var arrived = await Eventually.GetAsync(() => events.Received.Where(e => e.MessageId is not null && ids.Contains(e.MessageId)).ToList(), e => e.Count >= 30);
        arrived.Should().HaveCount(30).And.OnlyHaveUniqueItems(e => e.MessageId);
    }

    [Fact]
    public async Task ReadOnlyKey_SeesTheDashboard_ButCannotReplay()
    {
        using var client = app.CreateDashboardClient(WebhooksApp.ReadOnlyKey);
        var page = await client.GetStringAsync("/hangfire/dead-letters");
        page.Should().NotContain("Replay all that match this filter");

        page.Should().NotContain("/replay\"", "a read-only key gets no replay buttons");
        using var admin = app.CreateDashboardClient(WebhooksApp.AdminKey);
        using var replay = await client.PostAsync($"/admin/dead-letters/{Guid.NewGuid()}/replay", Form(await admin.GetStringAsync("/hangfire/dead-letters")));
        ((int)replay.StatusCode).Should().BeOneOf(403, 400);
    }

    private static FormUrlEncodedContent Form(string page, params (string Name, string Value)[] more) =>
        new([.. Fields(page), .. more.Select(m => new KeyValuePair<string, string>(m.Name, m.Value))]);

    private static List<KeyValuePair<string, string>> Fields(string page) => [new("__RequestVerificationToken", DashboardForms.Token(page))];
}
