using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

public sealed class AdminApiTests(WebhooksApp app) : IClassFixture<WebhooksApp>, IAsyncLifetime
{
    private EventCollector events = null!;

    public async Task InitializeAsync() => events = await EventCollector.StartAsync();

    public async Task DisposeAsync() => await events.DisposeAsync();

    [Fact]
    public async Task DeadLetters_FilterAndKeysetPaging_WalkEveryMatchOnce()
    {
        var source = "page-" + Guid.NewGuid().ToString("N")[..8];
        await SeedDeadLetters(5, source, "evt.webhook.order.created", "nack: queue full");
        await SeedDeadLetters(3, source + "-other", "evt.webhook.order.created", "nack: queue full");
        using var admin = app.CreateAdminClient();

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/admin/dead-letters?source={source}&limit=2{(cursor is null ? "" : "&cursor=" + cursor)}");
            var items = page.GetProperty("items").EnumerateArray().ToList();
            items.Should().OnlyContain(i => i.GetProperty("source").GetString() == source);
            seen.AddRange(items.Select(i => i.GetProperty("id").GetString()!));
            cursor = page.GetProperty("next_cursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        seen.Should().HaveCount(5).And.OnlyHaveUniqueItems();
        pages.Should().Be(3);
    }

    [Fact]
    public async Task DeadLetter_ReplayOne_PublishesWithTheSameEventId_AndCannotBeReplayedTwice()
    {
        var (letterId, eventId) = (await SeedDeadLetters(1, "replay-one", "evt.webhook.order.created", "nack")).Single();
        using var admin = app.CreateAdminClient();

        var detail = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/admin/dead-letters/{letterId}");
        detail.GetProperty("errors").GetArrayLength().Should().Be(1);
        detail.GetProperty("event").GetProperty("id").GetString().Should().Be(eventId.ToString());

        using var replay = await admin.PostAsync($"/api/v1/admin/dead-letters/{letterId}/replay", null);
        replay.StatusCode.Should().Be(System.Net.HttpStatusCode.Accepted, "the replay is a background job, as on the dashboards");
        (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("job_id").GetString().Should().NotBeNullOrEmpty();

        var arrived = await Eventually.GetAsync(() => events.Received.Where(e => e.MessageId == eventId.ToString()).ToList(), e => e.Count >= 1);
        arrived.Single().RoutingKey.Should().Be("evt.webhook.order.created");
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/admin/dead-letters/{letterId}")).GetProperty("status").GetString().Should().Be("replayed");
        await (await admin.PostAsync($"/api/v1/admin/dead-letters/{letterId}/replay", null)).ProblemAsync(409);
    }

    [Fact]
    public async Task DeadLetter_Archive_ThenReplay_IsAConflict()
    {
        var (letterId, _) = (await SeedDeadLetters(1, "archive", "evt.webhook.order.created", "nack")).Single();
        using var admin = app.CreateAdminClient();

        using var archived = await admin.PostAsync($"/api/v1/admin/dead-letters/{letterId}/archive", null);

        (await archived.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().Should().Be("archived");
        await (await admin.PostAsync($"/api/v1/admin/dead-letters/{letterId}/replay", null)).ProblemAsync(409);
    }

    [Fact]
    public async Task DeadLetters_BulkReplayOfAThousand_RunsAsAJob_AndPublishesEachExactlyOnce()
    {
        var source = "bulk-" + Guid.NewGuid().ToString("N")[..8];
        var seeded = await SeedDeadLetters(1000, source, "evt.webhook.bulk.replayed", "nack: consumer down");
        await SeedDeadLetters(20, source, "evt.webhook.bulk.other", "nack: consumer down");
        using var admin = app.CreateAdminClient();

        using var started = await admin.PostAsJsonAsync("/api/v1/admin/dead-letters/replay", new { source, event_type = "evt.webhook.bulk.replayed" });

        started.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var job = await started.Content.ReadFromJsonAsync<JsonElement>();
        job.GetProperty("total").GetInt64().Should().Be(1000);
        var jobId = job.GetProperty("id").GetString();
        started.Headers.Location!.ToString().Should().EndWith($"/api/v1/admin/jobs/{jobId}");

        var finished = await Eventually.GetAsync(
            () => admin.GetFromJsonAsync<JsonElement>($"/api/v1/admin/jobs/{jobId}"),
            j => j.GetProperty("status").GetString() is "completed" or "failed",
            TimeSpan.FromSeconds(60));
        finished.GetProperty("status").GetString().Should().Be("completed");
        finished.GetProperty("processed").GetInt64().Should().Be(1000);

        var wanted = seeded.Select(s => s.EventId.ToString()).ToHashSet();
        var arrived = await Eventually.GetAsync(
            () => events.Received.Where(e => e.MessageId is not null && wanted.Contains(e.MessageId)).ToList(),
            e => e.Count >= 1000,
            TimeSpan.FromSeconds(60));
        arrived.Should().HaveCount(1000).And.OnlyHaveUniqueItems(e => e.MessageId);
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM dead_letters WHERE source = $1 AND status = 'dead'", source)).Should().Be(20, "the other event type was not selected");
    }

    [Fact]
    public async Task Inbox_ListDetailAndReplay()
    {
        using var client = app.CreateClient();
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(9000 + i)))).AcceptedAsync()).Id);
        }

        using var admin = app.CreateAdminClient();
        var first = await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/inbox?source=shopify&limit=2");
        first.GetProperty("items").GetArrayLength().Should().Be(2);
        first.GetProperty("items")[0].GetProperty("id").GetString().Should().Be(ids[2].ToString(), "newest first");
        first.GetProperty("next_cursor").GetString().Should().NotBeNullOrEmpty();

        // A time range: rows stored a day ago (written here with their time-derived ids) are in, today's are out.
        var dayAgo = DateTimeOffset.UtcNow.AddDays(-1);
        var old = Guid.CreateVersion7(dayAgo);
        await app.Database.ExecuteAsync("""
            INSERT INTO inbox_messages (id, source, provider, topic, idempotency_key, headers, body, correlation_id, received_at, status)
            VALUES ($1, 'shopify', 'shopify', 'orders/create', $2, '{}', '\x7b7d', 'c', $3, 'processed')
            """, old, "old-" + old, dayAgo);
        var window = await admin.GetFromJsonAsync<JsonElement>(
            $"/api/v1/admin/inbox?from={Uri.EscapeDataString(dayAgo.AddMinutes(-1).ToString("O"))}&to={Uri.EscapeDataString(dayAgo.AddMinutes(1).ToString("O"))}");
        window.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).Should().Equal([old]);

        var detail = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/admin/inbox/{ids[0]}");
        detail.GetProperty("headers").GetProperty("x-shopify-hmac-sha256").GetString().Should().Be("[redacted]");
        detail.GetProperty("headers").GetProperty("x-shopify-topic").GetString().Should().Be("orders/create");
        detail.GetProperty("body_encoding").GetString().Should().Be("json");
        detail.GetProperty("body").GetString().Should().Contain("\n").And.Contain("\"order_number\": 1001");
        detail.GetProperty("events").GetArrayLength().Should().Be(3);
        await Eventually.GetAsync(() => events.ForInbox(ids[0]), e => e.Count >= 3);

        using var replay = await admin.PostAsync($"/api/v1/admin/inbox/{ids[0]}/replay", null);
        var replayed = await replay.Content.ReadFromJsonAsync<JsonElement>();

        replayed.GetProperty("status").GetString().Should().Be("replayed");
        replayed.GetProperty("events").GetArrayLength().Should().Be(3, "the replay publishes the same events again");
        var arrived = await Eventually.GetAsync(() => events.ForInbox(ids[0]), e => e.Count >= 6);
        arrived.Count(e => e.RoutingKey == "evt.webhook.order.created").Should().Be(2);
        arrived.GroupBy(e => e.RoutingKey).Should().OnlyContain(
            g => g.Select(e => e.MessageId).Distinct().Count() == 1, "a replayed event keeps its id, so consumers can de-duplicate it");
    }

    [Fact]
    public async Task Admin_UnknownIdAnswers404_AndAForgedCursor400()
    {
        using var admin = app.CreateAdminClient();

        await (await admin.GetAsync($"/api/v1/admin/dead-letters/{Guid.NewGuid()}")).ProblemAsync(404);
        await (await admin.GetAsync($"/api/v1/admin/inbox/{Guid.NewGuid()}")).ProblemAsync(404);
        await (await admin.GetAsync("/api/v1/admin/inbox?cursor=not-a-cursor")).ProblemAsync(400);
    }

    /// <summary>Dead letters as the relay leaves them: the outbox row 'dead' and its dead_letters row.</summary>
    private async Task<List<(Guid LetterId, Guid EventId)>> SeedDeadLetters(int count, string source, string eventType, string error)
    {
        var rows = Enumerable.Range(0, count).Select(_ => (LetterId: Guid.CreateVersion7(), EventId: Guid.CreateVersion7())).ToList();
        await app.Database.ExecuteAsync("""
            WITH seeds AS (SELECT * FROM unnest($1::uuid[], $2::uuid[]) AS s(letter_id, event_id)),
            outbox AS (
                INSERT INTO outbox_messages (id, inbox_id, source, event_type, envelope, status, attempts, next_attempt_at, last_error, errors, created_at)
                SELECT event_id, NULL, $3, $4,
                       json_build_object('specversion', '1.0', 'id', event_id, 'source', '/webhooks/' || $3, 'type', $4,
                                         'time', now(), 'datacontenttype', 'application/json', 'data', json_build_object('seeded', true))::text,
                       'dead', 15, now(), $5, jsonb_build_array(jsonb_build_object('at', now(), 'attempt', 15, 'error', $5)), now()
                FROM seeds)
            INSERT INTO dead_letters (id, event_id, source, event_type, envelope, attempts, errors, last_error, status, created_at)
            SELECT letter_id, event_id, $3, $4, '{}', 15, jsonb_build_array(jsonb_build_object('at', now(), 'attempt', 15, 'error', $5)), $5, 'dead', now()
            FROM seeds
            """, rows.Select(r => r.LetterId).ToArray(), rows.Select(r => r.EventId).ToArray(), source, eventType, error);
        await app.Database.ExecuteAsync("""
            UPDATE dead_letters d SET envelope = o.envelope FROM outbox_messages o WHERE o.id = d.event_id AND d.source = $1
            """, source);
        return rows;
    }
}
