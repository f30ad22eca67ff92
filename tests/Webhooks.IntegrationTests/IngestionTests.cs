using System.Net;
using System.Net.Http.Json;
using FluentAssertions;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

public sealed class IngestionTests(WebhooksApp app) : IClassFixture<WebhooksApp>, IAsyncLifetime
{
    private EventCollector events = null!;

    public async Task InitializeAsync() => events = await EventCollector.StartAsync();

    public async Task DisposeAsync() => await events.DisposeAsync();

    [Fact]
    public async Task Receive_SignedShopifyOrder_StoresInboxRowAndPublishesCloudEvents()
    {
        using var client = app.CreateClient();
        var request = Shopify.Delivery(Shopify.OrderBody(820982911946154508));
        request.Headers.Add("X-Correlation-ID", "corr-integration-1");

        using var response = await client.SendAsync(request);
        var accepted = await response.AcceptedAsync();

        accepted.Status.Should().Be("accepted");
        accepted.Duplicate.Should().BeFalse();
        response.Headers.GetValues("X-Correlation-ID").Should().Equal("corr-integration-1");
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE id = $1", accepted.Id)).Should().Be(1);
        (await app.Database.ScalarAsync<string>("SELECT topic FROM inbox_messages WHERE id = $1", accepted.Id)).Should().Be("orders/create");

        var received = await Eventually.GetAsync(() => events.ForInbox(accepted.Id), e => e.Count >= 3, because: "the three events reach the queue");
        received.Select(e => e.RoutingKey).Should().BeEquivalentTo(["evt.webhook.received", "evt.webhook.order.created", "evt.webhook.processed"]);

        // Seed 000's lifecycle fields (contract v3): what its consumers read on received and processed.
        var receipt = received.Single(e => e.RoutingKey == "evt.webhook.received").Json.GetProperty("data");
        receipt.GetProperty("webhook_id").GetString().Should().Be(accepted.Id.ToString());
        receipt.GetProperty("merchant_id").GetString().Should().Be("acme");
        receipt.GetProperty("merchant_domain").GetString().Should().Be("acme.myshopify.com");
        receipt.GetProperty("source").GetString().Should().Be("shopify");
        receipt.GetProperty("topic").GetString().Should().Be("orders/create");
        receipt.GetProperty("received_at").GetDateTimeOffset().Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
        var processed = received.Single(e => e.RoutingKey == "evt.webhook.processed").Json.GetProperty("data");
        processed.GetProperty("entry_id").GetString().Should().Be(accepted.Id.ToString());
        processed.GetProperty("event_type").GetString().Should().Be("evt.webhook.order.created");
        processed.GetProperty("merchant_id").GetString().Should().Be("acme");
        processed.GetProperty("topic").GetString().Should().Be("orders/create");

        var order = received.Single(e => e.RoutingKey == "evt.webhook.order.created");
        var json = order.Json;
        order.MessageId.Should().Be(json.GetProperty("id").GetString());
        order.Type.Should().Be("evt.webhook.order.created");
        order.ContentType.Should().Be("application/cloudevents+json");
        order.CorrelationId.Should().Be("corr-integration-1");
        order.Persistent.Should().BeTrue();
        json.GetProperty("specversion").GetString().Should().Be("1.0");
        json.GetProperty("source").GetString().Should().Be("/webhooks/shopify");
        json.GetProperty("type").GetString().Should().Be("evt.webhook.order.created");
        json.GetProperty("subject").GetString().Should().Be("820982911946154508");
        json.GetProperty("datacontenttype").GetString().Should().Be("application/json");
        json.GetProperty("provider").GetString().Should().Be("shopify");
        json.GetProperty("topic").GetString().Should().Be("orders/create");
        json.GetProperty("correlationid").GetString().Should().Be("corr-integration-1");
        var data = json.GetProperty("data");
        data.GetProperty("order_id").GetString().Should().Be("820982911946154508");
        data.GetProperty("merchant_domain").GetString().Should().Be("acme.myshopify.com");
        data.GetProperty("total").GetString().Should().Be("199.00");
        data.GetProperty("line_items")[0].GetProperty("variant_id").GetString().Should().Be("808950810");

        // The stored event ids are the message ids: a re-publish carries the same one.
        var storedIds = await app.Database.ScalarAsync<Guid[]>("SELECT array_agg(id) FROM outbox_messages WHERE inbox_id = $1", accepted.Id);
        received.Select(e => Guid.Parse(e.MessageId!)).Should().BeEquivalentTo(storedIds);
    }

    [Fact]
    public async Task Receive_SameEventTwice_StoresOneInboxRowAndPublishesOnce()
    {
        using var client = app.CreateClient();
        var eventId = Guid.NewGuid().ToString();
        var body = Shopify.OrderBody(1);

        var first = await (await client.SendAsync(Shopify.Delivery(body, eventId: eventId))).AcceptedAsync();
        var second = await (await client.SendAsync(Shopify.Delivery(body, eventId: eventId))).AcceptedAsync();

        second.Id.Should().Be(first.Id);
        second.Duplicate.Should().BeTrue();
        first.Duplicate.Should().BeFalse();
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE idempotency_key = $1", eventId)).Should().Be(1);
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE inbox_id = $1", first.Id)).Should().Be(3);
        await Eventually.GetAsync(
            () => app.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE inbox_id = $1 AND status = 'published'", first.Id),
            n => n == 3);
        var received = await Eventually.GetAsync(() => events.ForInbox(first.Id), e => e.Count >= 3);
        received.Should().HaveCount(3).And.OnlyHaveUniqueItems(e => e.MessageId);
    }

    [Fact]
    public async Task Receive_ThirtyConcurrentIdenticalDeliveries_YieldOneIdAndOneEvent()
    {
        using var client = app.CreateClient();
        var eventId = Guid.NewGuid().ToString();
        var body = Shopify.OrderBody(30);

        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(async _ =>
        {
            using var response = await client.SendAsync(Shopify.Delivery(body, eventId: eventId));
            return await response.AcceptedAsync();
        }));

        answers.Select(a => a.Id).Distinct().Should().ContainSingle();
        answers.Count(a => !a.Duplicate).Should().Be(1);
        var id = answers[0].Id;
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE idempotency_key = $1", eventId)).Should().Be(1);
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE inbox_id = $1 AND event_type = 'evt.webhook.order.created'", id)).Should().Be(1);
        var received = await Eventually.GetAsync(() => events.ForInbox(id), e => e.Count >= 2);
        received.Count(e => e.RoutingKey == "evt.webhook.order.created").Should().Be(1);
    }

    [Fact]
    public async Task Receive_SignedWithThePreviousSecret_IsAcceptedDuringRotation()
    {
        using var client = app.CreateClient();

        using var response = await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(2), secret: WebhooksApp.OldShopifySecret));

        (await response.AcceptedAsync()).Duplicate.Should().BeFalse();
    }

    [Fact]
    public async Task Receive_BadSignature_Answers401AndStoresNothing()
    {
        using var client = app.CreateClient();
        var eventId = Guid.NewGuid().ToString();

        using var response = await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(3), eventId: eventId, secret: "forged"));

        var problem = await response.ProblemAsync(401);
        problem.GetProperty("detail").GetString().Should().Contain("does not match");
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE idempotency_key = $1", eventId)).Should().Be(0);
    }

    [Fact]
    public async Task Receive_NoSignature_Answers401()
    {
        using var client = app.CreateClient();
        var request = Shopify.Delivery(Shopify.OrderBody(4));
        request.Headers.Remove("X-Shopify-Hmac-Sha256");

        using var response = await client.SendAsync(request);

        (await response.ProblemAsync(401)).GetProperty("detail").GetString().Should().Contain("X-Shopify-Hmac-Sha256");
    }

    [Fact]
    public async Task Receive_BodyOverTheSourceLimit_Answers413AndStoresNothing()
    {
        using var client = app.CreateClient();
        var eventId = Guid.NewGuid().ToString();
        var body = "{\"id\":5,\"note\":\"" + new string('x', 2048) + "\"}";

        using var response = await client.SendAsync(Shopify.Delivery(body, eventId: eventId, source: "tiny"));

        await response.ProblemAsync(413);
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE idempotency_key = $1", eventId)).Should().Be(0);
    }

    [Fact]
    public async Task Receive_ChunkedBodyOverTheLimit_Answers413()
    {
        using var client = app.CreateClient();
        var request = Shopify.Delivery("{}", source: "tiny");
        request.Content = new StreamContent(new MemoryStream(new byte[4096]));
        request.Content.Headers.ContentLength = null;

        using var response = await client.SendAsync(request);

        await response.ProblemAsync(413);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("disabled")]
    public async Task Receive_UnknownOrDisabledSource_Answers404(string source)
    {
        using var client = app.CreateClient();

        using var response = await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(6), source: source));

        (await response.ProblemAsync(404)).GetProperty("detail").GetString().Should().Contain(source);
    }

    [Fact]
    public async Task Receive_SignedButNotJson_Answers400()
    {
        using var client = app.CreateClient();

        using var response = await client.SendAsync(Shopify.Delivery("this is not json"));

        (await response.ProblemAsync(400)).GetProperty("detail").GetString().Should().Contain("not valid JSON");
    }

    [Fact]
    public async Task Receive_VerifiedButUnmappable_IsStored_PublishesReceivedAndMappingFailed()
    {
        using var admin = app.CreateAdminClient();
        var source = "gh-" + Guid.NewGuid().ToString("N")[..8];
        const string secret = "github-mapping-secret-0123456789";
        (await admin.PostAsJsonAsync("/api/v1/admin/sources", new { name = source, provider = "github", secrets = new[] { secret } })).EnsureSuccessStatusCode();

        // A pull_request whose action is no routing-key segment: authentic, well formed, and not mappable.
        var body = """{"action":"re.opened","number":7,"pull_request":{"id":1},"repository":{"full_name":"acme/api"}}""";
        var signature = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), System.Text.Encoding.UTF8.GetBytes(body)));
        HttpRequestMessage Delivery()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/webhooks/{source}") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Add("X-GitHub-Event", "pull_request");
            request.Headers.Add("X-GitHub-Delivery", "mapping-failure-1");
            request.Headers.Add("X-Hub-Signature-256", "sha256=" + signature);
            return request;
        }

        using var client = app.CreateClient();

        var accepted = await (await Eventually.GetAsync(async () => await client.SendAsync(Delivery()), r => r.StatusCode != HttpStatusCode.NotFound)).AcceptedAsync();

        (await app.Database.ScalarAsync<string>("SELECT topic FROM inbox_messages WHERE id = $1", accepted.Id)).Should().Be("pull_request.re.opened");
        var received = await Eventually.GetAsync(() => events.ForInbox(accepted.Id), e => e.Count >= 3, because: "the receipt and the failure reach the queue");
        received.Select(e => e.RoutingKey).Should().BeEquivalentTo(["evt.webhook.received", "evt.webhook.failed", "evt.gateway.mapping_failed"]);
        var failed = received.Single(e => e.RoutingKey == "evt.webhook.failed").Json.GetProperty("data");
        failed.GetProperty("entry_id").GetString().Should().Be(accepted.Id.ToString());
        failed.GetProperty("topic").GetString().Should().Be("pull_request.re.opened");
        failed.GetProperty("attempts").GetInt32().Should().Be(1);
        failed.GetProperty("error").GetString().Should().Contain("re.opened");
        var data = received.Single(e => e.RoutingKey == "evt.gateway.mapping_failed").Json.GetProperty("data");
        data.GetProperty("source").GetString().Should().Be(source);
        data.GetProperty("provider").GetString().Should().Be("github");
        data.GetProperty("inbox_id").GetString().Should().Be(accepted.Id.ToString());
        data.GetProperty("reason").GetString().Should().Contain("re.opened");
    }

    [Fact]
    public async Task Receive_WithATraceparent_AndNoExporter_StillCarriesTheTraceToConsumers()
    {
        using var client = app.CreateClient();
        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        var request = Shopify.Delivery(Shopify.OrderBody(Random.Shared.NextInt64(1, long.MaxValue)));
        request.Headers.Add("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(BitConverter.GetBytes(7L))}-01");

        var accepted = await (await client.SendAsync(request)).AcceptedAsync();

        var received = await Eventually.GetAsync(() => events.ForInbox(accepted.Id), e => e.Count >= 2);
        received.Should().OnlyContain(e => e.Json.GetProperty("traceparent").GetString()!.StartsWith($"00-{traceId}-", StringComparison.Ordinal),
            "tracing without an exporter samples nothing, yet the caller's trace context still reaches consumers");
    }

    [Fact]
    public async Task Receive_NoTopicInHeaderOrPath_Answers400()
    {
        using var client = app.CreateClient();
        var request = Shopify.Delivery(Shopify.OrderBody(7));
        request.Headers.Remove("X-Shopify-Topic");

        using var response = await client.SendAsync(request);

        (await response.ProblemAsync(400)).GetProperty("detail").GetString().Should().Contain("topic");
    }

    [Fact]
    public async Task Receive_TopicInPath_IsUsedWhenNoHeader()
    {
        using var client = app.CreateClient();
        var request = Shopify.Delivery("{\"id\":632910392,\"title\":\"IPod\"}");
        request.Headers.Remove("X-Shopify-Topic");
        request.RequestUri = new Uri("/api/v1/webhooks/shopify/products/create", UriKind.Relative);

        var accepted = await (await client.SendAsync(request)).AcceptedAsync();

        var received = await Eventually.GetAsync(() => events.ForInbox(accepted.Id), e => e.Count >= 2);
        received.Select(e => e.RoutingKey).Should().Contain("evt.webhook.catalog.item_created");
    }

    [Fact]
    public async Task Health_WhenDependenciesUp_IsReadyAndReportsEachDependency()
    {
        using var client = app.CreateAdminClient(); // the details (backlog, sources) need a key

        using var ready = await client.GetAsync("/api/v1/health/ready");
        var health = await Eventually.GetAsync(async () =>
        {
            using var response = await client.GetAsync("/api/v1/health");
            return await response.Content.ReadAsStringAsync();
        }, body => body.Contains("\"broker\":{\"status\":\"up\"", StringComparison.Ordinal));

        ready.StatusCode.Should().Be(HttpStatusCode.OK);
        health.Should().Contain("\"database\":{\"status\":\"up\"").And.Contain("\"backlog\":").And.Contain("\"name\":\"shopify\"");
        (await client.GetAsync("/api/v1/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
