using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

public sealed class StatsTests(WebhooksApp app) : IClassFixture<WebhooksApp>
{
    [Fact]
    public async Task Stats_AfterMixedTraffic_CountTheWindow_RatesAndLatencies()
    {
        using var client = app.CreateClient();
        using var admin = app.CreateAdminClient();
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(i), eventId: $"stats-{i}"))).AcceptedAsync()).Id);
        }

        await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(0), eventId: "stats-0"))).AcceptedAsync();
        await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(9), secret: "forged"))).ProblemAsync(401);
        await app.Database.ExecuteAsync("""
            INSERT INTO dead_letters (id, event_id, source, event_type, envelope, attempts, last_error, status, created_at)
            SELECT gen_random_uuid(), gen_random_uuid(), 'shopify', 'evt.webhook.order.created', '{}', 15, 'broker returned the event: NO_ROUTE', 'dead', now()
            FROM generate_series(1, 2)
            """);
        await Eventually.GetAsync(
            () => app.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE inbox_id = ANY($1) AND status = 'published'", ids.ToArray()),
            n => n == 3 * Shopify.EventsPerOrder);

        var stats = await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/stats");

        var inbox = stats.GetProperty("inbox");
        inbox.GetProperty("total").GetInt64().Should().Be(3);
        inbox.GetProperty("by_source").GetProperty("shopify").GetInt64().Should().Be(3);
        inbox.GetProperty("by_status").GetProperty("processed").GetInt64().Should().Be(3);
        inbox.GetProperty("by_topic").GetProperty("orders/create").GetInt64().Should().Be(3);
        var events = stats.GetProperty("events");
        events.GetProperty("by_status").GetProperty("published").GetInt64().Should().Be(3 * Shopify.EventsPerOrder);
        events.GetProperty("by_type").GetProperty("evt.webhook.order.created").GetInt64().Should().Be(3);
        events.GetProperty("success_rate").GetDouble().Should().Be(1.0);
        var ingest = stats.GetProperty("ingest");
        ingest.GetProperty("received").GetInt64().Should().Be(5);
        ingest.GetProperty("by_outcome").GetProperty("accepted").GetInt64().Should().Be(3);
        ingest.GetProperty("by_outcome").GetProperty("duplicate").GetInt64().Should().Be(1);
        ingest.GetProperty("by_outcome").GetProperty("rejected_signature").GetInt64().Should().Be(1);
        ingest.GetProperty("acceptance_rate").GetDouble().Should().BeApproximately(0.8, 1e-9);
        ingest.GetProperty("latency_ms").GetProperty("samples").GetInt64().Should().Be(5);
        ingest.GetProperty("latency_ms").GetProperty("p50").GetDouble().Should().BePositive();
        var relay = stats.GetProperty("relay");
        relay.GetProperty("latency_ms").GetProperty("samples").GetInt64().Should().Be(3 * Shopify.EventsPerOrder);
        relay.GetProperty("latency_ms").GetProperty("p99").GetDouble().Should().BeGreaterThanOrEqualTo(relay.GetProperty("latency_ms").GetProperty("p50").GetDouble());
        relay.GetProperty("backlog").GetInt64().Should().Be(0);
        var dead = stats.GetProperty("dead_letters");
        dead.GetProperty("total").GetInt64().Should().Be(2);
        dead.GetProperty("by_reason").EnumerateArray().Should().ContainSingle()
            .Which.GetProperty("reason").GetString().Should().Be("broker returned the event: NO_ROUTE");

        var past = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/admin/stats?from={DateTimeOffset.UtcNow.AddDays(-3):O}&to={DateTimeOffset.UtcNow.AddDays(-2):O}".Replace("+", "%2B", StringComparison.Ordinal));
        past.GetProperty("inbox").GetProperty("total").GetInt64().Should().Be(0, "the window excludes today's webhooks");
        await (await admin.GetAsync("/api/v1/admin/stats?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z")).ProblemAsync(400);
        (await client.GetAsync("/api/v1/admin/stats")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}
