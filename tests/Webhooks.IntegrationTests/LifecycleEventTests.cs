using System.Net;
using FluentAssertions;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>An exchange of its own, flushes every 200 ms, and a failure budget large enough not to answer 429 here.</summary>
public sealed class LifecycleApp : WebhooksApp
{
    public string Exchange { get; } = "test.lifecycle." + Guid.NewGuid().ToString("N")[..12];

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Webhooks:Relay:Exchange"] = Exchange,
        ["Webhooks:Alerts:FlushInterval"] = "00:00:00.200",
        ["Webhooks:RateLimits:Failures:Burst"] = "100000",
    };
}

/// <summary>Seed 000's lifecycle events on a real broker (contract v3): evt.webhook.validation.failed, bounded.</summary>
public sealed class LifecycleEventTests(LifecycleApp app) : IClassFixture<LifecycleApp>
{
    [Fact]
    public async Task ARefusedDelivery_IsAnnouncedAsValidationFailed_WithSourceReasonAndTopic()
    {
        await using var events = await EventCollector.StartAsync(app.Exchange, "evt.webhook.validation.failed");
        using var client = app.CreateClient();

        (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(5), topic: "orders/paid", signature: "AAAA"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var announced = await Eventually.GetAsync(() => events.Received.ToList(), e => e.Count >= 1, TimeSpan.FromSeconds(20));
        var data = announced.Single().Json.GetProperty("data");
        data.GetProperty("source").GetString().Should().Be("shopify");
        data.GetProperty("topic").GetString().Should().Be("orders/paid");
        data.GetProperty("reason").GetString().Should().Contain("signature");
        data.GetProperty("failed_at").GetDateTimeOffset().Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(2));
        announced.Single().Json.GetProperty("provider").GetString().Should().Be("shopify");
    }

    /// <summary>A flood of garbage is not amplified into as many events: at most 60 per source and minute.</summary>
    [Fact]
    public async Task AFloodOfRefusedDeliveries_IsAnnouncedAtMostSixtyTimesPerSourceAndMinute()
    {
        await using var events = await EventCollector.StartAsync(app.Exchange, "evt.webhook.validation.failed");
        using var client = app.CreateClient();
        for (var i = 0; i < 150; i++)
        {
            using var forged = Shopify.Delivery(Shopify.OrderBody(i), source: "tiny", signature: "AAAA");
            (await client.SendAsync(forged)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        var announced = await Eventually.GetAsync(() => Of(events), e => e.Count >= 60, TimeSpan.FromSeconds(20));
        await Task.Delay(1000); // anything beyond the cap would be flushed by now

        var perMinute = Of(events).GroupBy(e => e.Json.GetProperty("data").GetProperty("failed_at").GetDateTimeOffset().ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
        perMinute.Should().OnlyContain(minute => minute.Count() <= 60);
        Of(events).Count.Should().BeLessThan(150);
        announced.Count.Should().BeGreaterThanOrEqualTo(60);

        static List<ReceivedEvent> Of(EventCollector events) =>
            [.. events.Received.Where(e => e.Json.GetProperty("data").GetProperty("source").GetString() == "tiny")];
    }
}
