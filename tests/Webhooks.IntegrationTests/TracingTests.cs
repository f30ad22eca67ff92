using System.Net;
using System.Collections.Concurrent;
using System.Text;
using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>A minimal OTLP/HTTP collector on loopback: it keeps the raw protobuf bodies posted to /v1/traces.</summary>
public sealed class OtlpCollector : IAsyncDisposable
{
    private WebApplication? app;

    public ConcurrentQueue<byte[]> Exports { get; } = new();

    public string Endpoint => app!.Address();

    public static async Task<OtlpCollector> StartAsync()
    {
        var collector = new OtlpCollector();
        collector.app = await LoopbackServer.StartAsync(app => app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            collector.Exports.Enqueue(buffer.ToArray());
            return Results.Ok();
        }));
        return collector;
    }

    /// <summary>Whether any export holds all these byte sequences in one body (span names, raw trace ids).</summary>
    public bool Holds(params byte[][] needles) => Exports.Any(body => needles.All(n => body.AsSpan().IndexOf(n) >= 0));

    public async ValueTask DisposeAsync() => await app!.DisposeAsync();
}

public sealed class TracedApp : WebhooksApp
{
    public OtlpCollector? Collector { get; private set; }

    public override async Task InitializeAsync()
    {
        Collector = await OtlpCollector.StartAsync();
        await base.InitializeAsync();
    }

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Collector!.Endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
    };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Collector is not null)
        {
            await Collector.DisposeAsync();
        }
    }
}

public sealed class TracingTests(TracedApp app) : IClassFixture<TracedApp>
{
    [Fact]
    public async Task Ingest_WithATraceparent_IsExportedOverOtlp_AndTheEventCarriesTheTraceToConsumers_AndThePublishSpanLinksBack()
    {
        await using var events = await EventCollector.StartAsync();
        using var client = app.CreateClient();
        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        var request = Shopify.Delivery(Shopify.OrderBody(1));
        request.Headers.Add("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(BitConverter.GetBytes(42L))}-01");
        var accepted = await (await client.SendAsync(request)).AcceptedAsync();

        var delivered = await Eventually.GetAsync(() => events.Received.Where(e => e.InboxId == accepted.Id.ToString()).ToList(), e => e.Count >= 2);
        delivered.Should().OnlyContain(e => e.Json.GetProperty("traceparent").GetString()!.StartsWith($"00-{traceId}-", StringComparison.Ordinal),
            "consumers continue the ingest request's trace");

        var rawTraceId = Convert.FromHexString(traceId);
        await Eventually.GetAsync(() => Task.FromResult(app.Collector!.Holds(rawTraceId, Encoding.UTF8.GetBytes("publish evt.webhook.order.created"))), found => found,
            because: "the publish span is exported with a link to the ingest trace");
        app.Collector!.Holds(rawTraceId, Encoding.UTF8.GetBytes("Microsoft.AspNetCore")).Should().BeTrue("the ingest request's span is exported in its caller's trace");
    }

    [Fact]
    public async Task BodyNestedToTheIngestLimit_IsPublishedWhileTraced_AndItsDeadLetterDetailReads()
    {
        await using var events = await EventCollector.StartAsync();
        using var client = app.CreateClient();
        // 64 levels: the deepest body ingest accepts; the CloudEvent wraps it in two more.
        var body = "{\"id\":77,\"name\":\"#77\",\"x\":" + new string('[', 63) + new string(']', 63) + "}";
        var accepted = await (await client.SendAsync(Shopify.Delivery(body))).AcceptedAsync();

        var delivered = await Eventually.GetAsync(
            () => events.Received.Where(e => e.Body.Contains(accepted.Id.ToString(), StringComparison.Ordinal)).ToList(), e => e.Count >= 3,
            because: "a traced relay publishes and marks the deep event like any other");
        delivered.Select(e => e.RoutingKey).Should().Contain("evt.webhook.order.created");
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE inbox_id = $1 AND status = 'pending'", accepted.Id))
            .Should().Be(0, "the batch was marked published, not left to be republished every lease");

        var deadLetterId = Guid.CreateVersion7();
        await app.Database.ExecuteAsync("""
            INSERT INTO dead_letters (id, event_id, source, event_type, envelope, attempts, errors, last_error, status, created_at)
            SELECT $1, id, source, event_type, envelope, 15, '[]', 'nack', 'dead', now() FROM outbox_messages WHERE inbox_id = $2 LIMIT 1
            """, deadLetterId, accepted.Id);
        using var detail = await app.CreateAdminClient().GetAsync($"/api/v1/admin/dead-letters/{deadLetterId}");
        detail.StatusCode.Should().Be(HttpStatusCode.OK, await detail.Content.ReadAsStringAsync());
    }
}
