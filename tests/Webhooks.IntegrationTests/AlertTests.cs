using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Application.Admin.Alerts;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>Short windows by configuration; the evaluator runs when a test triggers it (its schedule is yearly here).</summary>
public sealed class AlertsApp : WithReceiverApp
{
    /// <summary>An exchange of this class's own: every test host's evaluator publishes alerts, and they must not mix.</summary>
    public string Exchange { get; } = "test.alerts." + Guid.NewGuid().ToString("N")[..12];

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Webhooks:Relay:Exchange"] = Exchange,
        ["Webhooks:Alerts:Window"] = "00:05:00",
        ["Webhooks:Alerts:ClearFor"] = "00:00:01",
        ["Webhooks:Alerts:Cron"] = "0 0 1 1 *",
        ["Webhooks:Alerts:FlushInterval"] = "00:00:00.200",
        ["Webhooks:Delivery:AllowPrivateNetworks"] = "true",
        ["Webhooks:Delivery:AllowHttp"] = "true",
    };
}

public sealed class AlertTests(AlertsApp app) : IClassFixture<AlertsApp>
{
    [Fact]
    public async Task ThirtyFivePercentSignatureFailures_OpenACriticalAlert_ThatResolvesWhenTheyStop_EachTransitionPublishedOnce_WithTwoInstances()
    {
        await using var events = await EventCollector.StartAsync(app.Exchange, "evt.gateway.alert.#");
        using var admin = app.CreateAdminClient();
        var subscriber = DeliveryClient.Unique("alerts-");
        var subscription = await admin.SubscribeAsync(app.Receiver!.Url(subscriber), ["evt.gateway.alert.*"]);
        var everything = DeliveryClient.Unique("everything-");
        await admin.SubscribeAsync(app.Receiver.Url(everything), ["*"]);
        await using var second = new InstanceOn(app.Database, likeThis: app);
        await second.InitializeAsync();

        using var client = app.CreateClient();
        for (var i = 0; i < 20; i++)
        {
            var forged = i % 20 < 7; // 7 of 20: 35 %
            using var response = await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(Random.Shared.NextInt64(1, long.MaxValue)), signature: forged ? "AAAA" : null));
            ((int)response.StatusCode).Should().Be(forged ? 401 : 200);
        }

        // Both instances evaluate at once, and the Hangfire job runs it once more: one transition, one event.
        await Task.WhenAll(EvaluateAsync(app), EvaluateAsync(second), TriggerThroughHangfireAsync());
        var opened = await Eventually.GetAsync(() => Of(events, "evt.gateway.alert.opened"), e => e.Count > 0);
        var data = opened.Single().Json.GetProperty("data");
        data.GetProperty("kind").GetString().Should().Be("rejection_rate");
        data.GetProperty("severity").GetString().Should().Be("critical");
        data.GetProperty("source").GetString().Should().Be("shopify");
        data.GetProperty("value").GetDouble().Should().Be(0.35);
        data.GetProperty("threshold").GetDouble().Should().Be(0.30);
        opened.Single().Json.GetProperty("source").GetString().Should().StartWith("/alerts/");

        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/alerts?status=open&source=shopify");
        listed.GetProperty("items").GetArrayLength().Should().Be(1);
        var page = await admin.GetStringAsync(data.GetProperty("dashboard_url").GetString()!);
        page.Should().Contain("rejection_rate").And.Contain("critical", "the alert's link opens the dashboard's Alerts page, which lists it");

        // The failures stop: enough good deliveries bring the window under 10 %; after the clear-for time it resolves.
        for (var i = 0; i < 60; i++)
        {
            using var ok = await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(Random.Shared.NextInt64(1, long.MaxValue))));
            ok.EnsureSuccessStatusCode();
        }

        await Task.WhenAll(EvaluateAsync(app), EvaluateAsync(second));
        await Eventually.GetAsync(async () =>
        {
            await Task.WhenAll(EvaluateAsync(app), EvaluateAsync(second));
            return Of(events, "evt.gateway.alert.resolved");
        }, e => e.Count > 0, TimeSpan.FromSeconds(20), poll: TimeSpan.FromMilliseconds(300));
        await Task.WhenAll(EvaluateAsync(app), EvaluateAsync(second));
        await Task.Delay(500); // anything published twice would arrive right behind
        // Opened once as critical; if an evaluation fell in the middle of the good deliveries it may also have
        // de-escalated it (opened again as a warning) — but no transition is ever published twice.
        var openings = Of(events, "evt.gateway.alert.opened").Select(e => e.Json.GetProperty("data")).ToList();
        openings.Select(d => (d.GetProperty("alert_id").GetString(), d.GetProperty("severity").GetString()))
            .Should().OnlyHaveUniqueItems("each transition is published once, whichever instance evaluates");
        openings[0].GetProperty("severity").GetString().Should().Be("critical");
        openings.Select(d => d.GetProperty("alert_id").GetString()).Distinct().Should().ContainSingle();
        Of(events, "evt.gateway.alert.resolved").Should().ContainSingle();

        // The subscriber to evt.gateway.alert.* gets both, signed like every delivery.
        var delivered = await Eventually.GetAsync(
            () => Task.FromResult(app.Receiver.At(subscriber).Where(r => r.Json.GetProperty("data").GetProperty("kind").GetString() == "rejection_rate").ToList()),
            r => r.Count >= openings.Count + 1);
        delivered.Select(r => r.Json.GetProperty("event").GetString()).Distinct().Should().BeEquivalentTo(["evt.gateway.alert.opened", "evt.gateway.alert.resolved"]);
        delivered.Should().HaveCount(openings.Count + 1, "the subscriber gets each transition once");
        delivered.Should().OnlyContain(r => r.VerifiesWith(subscription.GetProperty("secret").GetString()!));
        app.Receiver.At(everything).Should().BeEmpty("'*' never matches the gateway's own events (contract v3)");
    }

    [Fact]
    public async Task AnOperator_AcknowledgesThenResolves_AndTheResolutionIsPublished()
    {
        await using var events = await EventCollector.StartAsync(app.Exchange, "evt.gateway.alert.#");
        using var admin = app.CreateAdminClient();
        await DeadLetterSeeds.SeedAsync(app.Database, "alerts-dead", 11); // more than 10 new dead letters in the window
        await EvaluateAsync(app);
        var alert = await Eventually.GetAsync(
            async () => (await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/alerts?kind=dead_letters&status=open")).GetProperty("items"),
            items => items.GetArrayLength() == 1);
        var id = alert[0].GetProperty("id").GetString();

        (await (await admin.PostAsync($"/api/v1/admin/alerts/{id}/acknowledge", null)).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("status").GetString().Should().Be("acknowledged");
        (await admin.PostAsync($"/api/v1/admin/alerts/{id}/acknowledge", null)).StatusCode.Should().Be(System.Net.HttpStatusCode.Conflict);
        (await (await admin.PostAsync($"/api/v1/admin/alerts/{id}/resolve", null)).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("status").GetString().Should().Be("resolved");

        var resolved = await Eventually.GetAsync(() => Of(events, "evt.gateway.alert.resolved", "dead_letters"), e => e.Any(x => x.Json.GetProperty("data").GetProperty("alert_id").GetString() == id));
        resolved.Should().ContainSingle(x => x.Json.GetProperty("data").GetProperty("alert_id").GetString() == id);
    }

    [Fact]
    public async Task RejectedDeliveries_AreCountedPerMinuteWithSampleAddresses_AndSummarisedOncePerSourceAndMinute()
    {
        await using var events = await EventCollector.StartAsync(app.Exchange, "evt.gateway.rejected");
        using var client = app.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            using var forged = await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(i), source: "tiny", signature: "AAAA"));
            ((int)forged.StatusCode).Should().Be(401);
        }

        // The ingest path counts them per minute, shared by every instance.
        await Eventually.GetAsync(() => app.Database.ScalarAsync<long>(
            "SELECT coalesce(sum(count), 0)::bigint FROM ingest_minutes WHERE source = 'tiny' AND outcome = 'rejected_signature'"), n => n == 3);

        // A finished minute (written as the flush would have) is summarised once, however often the evaluator runs.
        var minute = DateTimeOffset.UtcNow.AddMinutes(-2);
        minute = new DateTimeOffset(minute.Year, minute.Month, minute.Day, minute.Hour, minute.Minute, 0, TimeSpan.Zero);
        await app.Database.ExecuteAsync(
            "INSERT INTO ingest_minutes (minute, source, outcome, count) VALUES ($1, 'disabled', 'rejected_other', 40), ($1, 'disabled', 'rejected_signature', 2), ($1, 'disabled', 'accepted', 9)",
            minute);
        await app.Database.ExecuteAsync(
            "INSERT INTO rejection_samples (minute, source, address) VALUES ($1, 'disabled', '203.0.113.7'), ($1, 'disabled', '198.51.100.1')", minute);
        await EvaluateAsync(app);
        await EvaluateAsync(app);

        var summaries = await Eventually.GetAsync(
            () => events.Received.Where(e => e.Json.GetProperty("data").GetProperty("source").GetString() == "disabled").ToList(), e => e.Count > 0);
        await Task.Delay(500); // a second summary would arrive right behind
        summaries = [.. events.Received.Where(e => e.Json.GetProperty("data").GetProperty("source").GetString() == "disabled")];
        var data = summaries.Should().ContainSingle("one event per source and minute, never one per request").Subject.Json.GetProperty("data");
        data.GetProperty("rejected").GetInt64().Should().Be(42);
        data.GetProperty("by_reason").GetProperty("rejected_other").GetInt64().Should().Be(40);
        data.GetProperty("sample_addresses").EnumerateArray().Select(a => a.GetString()).Should().BeEquivalentTo(["198.51.100.1", "203.0.113.7"]);
    }

    [Fact]
    public async Task ASourceSilentForLongerThanItsExpectedEvery_OpensASilentSourceAlert_ThatResolvesWhenADeliveryArrives()
    {
        await using var events = await EventCollector.StartAsync(app.Exchange, "evt.gateway.alert.#");
        using var admin = app.CreateAdminClient();
        using var client = app.CreateClient();
        var name = "quiet-" + Guid.NewGuid().ToString("N")[..8];
        var created = await admin.PostAsJsonAsync("/api/v1/admin/sources", new { name, provider = "shopify", secrets = new[] { WebhooksApp.ShopifySecret }, expected_every = "00:01:00" });
        created.StatusCode.Should().Be(System.Net.HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("expected_every").GetString().Should().Be("00:01:00");
        List<ReceivedEvent> Transitions(string type) =>
            [.. Of(events, type, "silent_source").Where(e => e.Json.GetProperty("data").GetProperty("source").GetString() == name)];

        // A first delivery (once this instance's catalog has the source): with it just in, the source is not silent.
        // The evaluation also flushes the per-minute counts, so nothing of it is written after the records move back.
        await Eventually.GetAsync(async () => (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(Random.Shared.NextInt64(1, long.MaxValue)), source: name))).StatusCode,
            status => status == System.Net.HttpStatusCode.OK);
        await EvaluateAsync(app);
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/admin/alerts?kind=silent_source&source={name}")).GetProperty("items").GetArrayLength().Should().Be(0);

        // Two minutes pass without a delivery (its records are moved back rather than the test waiting).
        await app.Database.ExecuteAsync("UPDATE sources SET created_at = created_at - interval '2 minutes' WHERE name = $1", name);
        await app.Database.ExecuteAsync("UPDATE inbox_messages SET received_at = received_at - interval '2 minutes' WHERE source = $1", name);
        await app.Database.ExecuteAsync("UPDATE ingest_minutes SET minute = minute - interval '2 minutes' WHERE source = $1", name);
        await EvaluateAsync(app);
        var opened = await Eventually.GetAsync(() => Transitions("evt.gateway.alert.opened"), e => e.Count > 0);
        var data = opened.Single().Json.GetProperty("data");
        data.GetProperty("severity").GetString().Should().Be("warning");
        data.GetProperty("threshold").GetDouble().Should().Be(60);
        data.GetProperty("value").GetDouble().Should().BeGreaterThanOrEqualTo(60);

        (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(Random.Shared.NextInt64(1, long.MaxValue)), source: name))).EnsureSuccessStatusCode();
        var resolved = await Eventually.GetAsync(async () =>
        {
            await EvaluateAsync(app);
            return Transitions("evt.gateway.alert.resolved");
        }, e => e.Count > 0, TimeSpan.FromSeconds(20), poll: TimeSpan.FromMilliseconds(300));
        resolved.Should().ContainSingle();

        // Silence expected no more: 00:00:00 removes the setting (the class's other tests share this database).
        var cleared = await (await admin.PutAsJsonAsync($"/api/v1/admin/sources/{name}", new { expected_every = "00:00:00" })).Content.ReadFromJsonAsync<JsonElement>();
        cleared.GetProperty("expected_every").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task TheOverview_ChartsTheLastDay_FromThePerMinuteFigures_AsSvgWithoutScript()
    {
        using var admin = app.CreateAdminClient();
        var subscriber = DeliveryClient.Unique("charts-");
        var type = "charts.tested" + Guid.NewGuid().ToString("N")[..6];
        await admin.SubscribeAsync(app.Receiver!.Url(subscriber), [type]);
        using var client = app.CreateClient();
        (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(Random.Shared.NextInt64(1, long.MaxValue)), source: "tiny"))).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/events", new { type, data = new { n = 1 } })).StatusCode.Should().Be(System.Net.HttpStatusCode.Accepted);
        await Eventually.GetAsync(() => app.Receiver.At(subscriber).Count, n => n == 1);

        // Each instance's flush (every 200 ms here) adds what its relay published and its delivery outcomes to gateway_minutes.
        await Eventually.GetAsync(() => app.Database.ScalarAsync<double>("SELECT coalesce(sum(value), 0) FROM gateway_minutes WHERE metric = 'deliveries_succeeded'"), n => n >= 1);
        await Eventually.GetAsync(() => app.Database.ScalarAsync<double>("SELECT coalesce(sum(value), 0) FROM gateway_minutes WHERE metric = 'published'"), n => n >= 2);
        (await app.Database.ScalarAsync<double>("SELECT coalesce(sum(value), 0) FROM gateway_minutes WHERE metric = 'publish_batches'")).Should().BeGreaterThan(0);

        var page = await admin.GetStringAsync("/admin");

        page.Should().Contain("<h2>Last 24 hours</h2>")
            .And.Contain("<title>tiny: accepted and rejected deliveries</title>")
            .And.Contain("<title>Outbox backlog</title>")
            .And.Contain("<title>Publish time per batch</title>")
            .And.Contain("<title>Outbound delivery success rate</title>");
        var succeeded = System.Text.RegularExpressions.Regex.Match(page, @"<h3>Outbound delivery <small>(\d+) succeeded");
        succeeded.Success.Should().BeTrue();
        long.Parse(succeeded.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(1);
        var charts = page[page.IndexOf("<h2>Last 24 hours</h2>", StringComparison.Ordinal)..page.IndexOf("<h2>Latest webhooks</h2>", StringComparison.Ordinal)];
        charts.Should().Contain("<polyline").And.NotContain("<script").And.NotContain("style=");
    }

    [Fact]
    public async Task TheTrafficPage_DrawsTheLastDayPerSource_AsSvgWithoutScript()
    {
        using var client = app.CreateClient();
        (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(Random.Shared.NextInt64(1, long.MaxValue)), source: "tiny"))).EnsureSuccessStatusCode();
        (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(1), source: "tiny", signature: "AAAA"))).StatusCode.Should().Be(System.Net.HttpStatusCode.Unauthorized);
        await Eventually.GetAsync(() => app.Database.ScalarAsync<long>("SELECT count(*) FROM ingest_minutes WHERE source = 'tiny'"), n => n >= 2);

        using var admin = app.CreateAdminClient();
        var page = await admin.GetStringAsync("/hangfire/traffic");

        page.Should().Contain("<h3>tiny").And.Contain("<svg").And.Contain("<polyline");
        var svg = page[page.IndexOf("<svg", StringComparison.Ordinal)..(page.IndexOf("</svg>", StringComparison.Ordinal) + 6)];
        svg.Should().NotContain("<script");
    }

    private static async Task EvaluateAsync(WebhooksApp instance)
    {
        await using var scope = instance.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AlertEvaluator>().EvaluateAsync(CancellationToken.None);
    }

    private async Task TriggerThroughHangfireAsync()
    {
        await Eventually.GetAsync(() => app.Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.set WHERE key = 'recurring-jobs' AND value = 'alerts'"), n => n == 1);
        var job = long.Parse(((IRecurringJobManagerV2)app.Services.GetRequiredService<IRecurringJobManager>()).TriggerJob("alerts"), System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.GetAsync(() => app.Database.ScalarAsync<string>("SELECT statename FROM hangfire.job WHERE id = $1", job), s => s == "Succeeded");
    }

    private static List<ReceivedEvent> Of(EventCollector events, string type, string kind = "rejection_rate") =>
        [.. events.Received.Where(e => e.RoutingKey == type && e.Json.GetProperty("data").GetProperty("kind").GetString() == kind)];
}
