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
}
