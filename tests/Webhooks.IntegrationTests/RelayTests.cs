using System.Text.Json;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Webhooks.Infrastructure.Relay;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>An exchange with no queue bound and mandatory publishing: the broker returns every event.</summary>
public sealed class UnroutableRelayApp : WebhooksApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Webhooks:Relay:Exchange"] = "webhooks.unrouted." + Guid.NewGuid().ToString("N")[..8],
        ["Webhooks:Relay:Mandatory"] = "true",
        ["Webhooks:Relay:MaxAttempts"] = "3",
        ["Webhooks:Relay:InitialDelay"] = "00:00:00.020",
        ["Webhooks:Relay:MaxDelay"] = "00:00:00.100",
    };
}

public sealed class RelayTests(UnroutableRelayApp app) : IClassFixture<UnroutableRelayApp>
{
    [Fact]
    public async Task Relay_WhenTheBrokerReturnsAnEvent_RetriesWithBackoffThenDeadLettersIt()
    {
        using var client = app.CreateClient();
        var accepted = await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(9)))).AcceptedAsync();

        var dead = await Eventually.GetAsync(
            () => app.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE inbox_id = $1 AND status = 'dead'", accepted.Id),
            n => n == 3,
            TimeSpan.FromSeconds(30));

        dead.Should().Be(3, "evt.webhook.received, evt.webhook.order.created and evt.webhook.processed are each dead-lettered");
        var letter = await app.Database.ScalarAsync<string>(
            "SELECT json_build_object('attempts', attempts, 'last_error', last_error, 'errors', jsonb_array_length(errors), 'status', status)::text FROM dead_letters WHERE event_type = 'evt.webhook.order.created' AND event_id IN (SELECT id FROM outbox_messages WHERE inbox_id = $1)",
            accepted.Id);
        var json = JsonDocument.Parse(letter).RootElement;
        json.GetProperty("attempts").GetInt32().Should().Be(3);
        json.GetProperty("errors").GetInt32().Should().Be(3, "every attempt's error is kept");
        json.GetProperty("last_error").GetString().Should().Contain("unroutable");
        json.GetProperty("status").GetString().Should().Be("dead");
    }

    [Fact]
    public async Task RelaySessions_CommitAsynchronously_WhileIngestSessionsStayDurable()
    {
        // The relay's bookkeeping may be lost in a database crash (it only repeats a publish); a stored webhook may not.
        (await SettingAsync(app.Services.GetRequiredKeyedService<NpgsqlDataSource>(OutboxStore.DataSourceKey))).Should().Be("off");
        (await SettingAsync(app.Services.GetRequiredService<NpgsqlDataSource>())).Should().Be("on");

        static async Task<string?> SettingAsync(NpgsqlDataSource dataSource)
        {
            await using var command = dataSource.CreateCommand("SHOW synchronous_commit");
            return (string?)await command.ExecuteScalarAsync();
        }
    }
}

/// <summary>The service with its relay switched off, so a test can claim the outbox itself.</summary>
public sealed class RelayOffApp : WebhooksApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Webhooks:Relay:Enabled"] = "false" };
}

public sealed class OutboxClaimTests(RelayOffApp app) : IClassFixture<RelayOffApp>
{
    /// <summary>One lane never holds more than MaxBatchBytes of envelopes, but always makes progress (at least one row).</summary>
    [Fact]
    public async Task Claim_StopsAtTheByteCap_ButAlwaysTakesTheOldestRow()
    {
        var store = app.Services.GetRequiredService<OutboxStore>();
        var now = DateTimeOffset.UtcNow;
        var envelope = new string('e', 300_000);
        for (var i = 0; i < 5; i++)
        {
            await InsertAsync(now.AddSeconds(-10 + i), envelope);
        }

        var first = await store.ClaimAsync("test-a", 500, 1_000_000, now, TimeSpan.FromMinutes(1), CancellationToken.None);
        first.Should().HaveCount(3, "three envelopes of 300 KB fit in 1 MB, a fourth would not");
        var rest = await store.ClaimAsync("test-b", 500, 1_000_000, now, TimeSpan.FromMinutes(1), CancellationToken.None);
        rest.Should().HaveCount(2);

        await InsertAsync(now.AddSeconds(-1), new string('x', 2_000_000));
        var large = await store.ClaimAsync("test-c", 500, 1_000_000, now, TimeSpan.FromMinutes(1), CancellationToken.None);
        large.Should().ContainSingle("an envelope over the cap is still claimed, alone").Which.Envelope.Length.Should().Be(2_000_000);
    }

    private Task InsertAsync(DateTimeOffset due, string envelope) => app.Database.ExecuteAsync(
        "INSERT INTO outbox_messages (id, source, event_type, envelope, next_attempt_at, created_at) VALUES ($1, 'claim-test', 'evt.test', $2, $3, $3)",
        Guid.CreateVersion7(), envelope, due);
}

/// <summary>The relay sleeps for ten minutes unless woken: only a wake-up after the commit publishes promptly.</summary>
public sealed class SleepyRelayApp : WebhooksApp
{
    public string Exchange { get; } = "test.sleepy." + Guid.NewGuid().ToString("N")[..12];

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Webhooks:Relay:Exchange"] = Exchange,
        ["Webhooks:Relay:IdlePoll"] = "00:10:00",
    };
}

public sealed class RelayWakeUpTests(SleepyRelayApp app) : IClassFixture<SleepyRelayApp>
{
    /// <summary>
    /// The replay once woke the relay before its transaction committed: the relay found nothing and slept on. A deferred
    /// trigger makes the commit take a second, so a wake-up sent before it is always too early.
    /// </summary>
    [Fact]
    public async Task DeadLetterReplay_WakesTheRelayAfterItCommits()
    {
        await app.Database.ExecuteAsync("""
            CREATE OR REPLACE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(1); RETURN NULL; END $$;
            CREATE CONSTRAINT TRIGGER slow_commit AFTER UPDATE ON dead_letters DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow_commit();
            """);
        await using var events = await EventCollector.StartAsync(app.Exchange, DeadLetterSeeds.EventType);
        using var admin = app.CreateAdminClient();
        await Eventually.GetAsync(async () => (await admin.GetAsync("/api/v1/health/ready")).StatusCode, s => s == System.Net.HttpStatusCode.OK);
        var source = "wake-" + Guid.NewGuid().ToString("N")[..6];
        var eventId = (await DeadLetterSeeds.SeedAsync(app.Database, source, 1))[0];
        var letter = await app.Database.ScalarAsync<Guid>("SELECT id FROM dead_letters WHERE event_id = $1", eventId);

        (await admin.PostAsync($"/api/v1/admin/dead-letters/{letter}/replay", null)).EnsureSuccessStatusCode();

        await Eventually.GetAsync(() => events.Received.Count(e => e.MessageId == eventId.ToString()), n => n == 1, TimeSpan.FromSeconds(20), "published without waiting for the ten-minute poll");
    }
}
