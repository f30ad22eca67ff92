using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>
/// What the partners of seeds 003 and 004 rely on (contract v3, "Partners who receive outbound webhooks keep their
/// receivers"), and failed deliveries worked like dead letters, on a real database and loopback receivers.
/// </summary>
public sealed class PartnerDeliveryTests(DeliveryApp app) : IClassFixture<DeliveryApp>
{
    private WebhookReceiver Receiver => app.Receiver!;

    [Fact]
    public async Task AUserAgentAndApiVersion_AreSent_AndTheEnvelopeTimestampIsTheEventsTimeOnEveryAttempt()
    {
        using var admin = app.CreateAdminClient();
        var endpoint = DeliveryClient.Unique("fail-1-agent-");
        var type = DeliveryClient.Unique("partner") + ".tested";
        var subscription = await admin.SubscribeAsync(Receiver.Url(endpoint), [type], new { user_agent = "FulFil-Webhook/1.0", api_version = "2024-06-01" });
        subscription.GetProperty("user_agent").GetString().Should().Be("FulFil-Webhook/1.0");
        subscription.GetProperty("api_version").GetString().Should().Be("2024-06-01");

        await app.CreateClient().PublishAsync(type, new { n = 1 });

        var requests = await Eventually.GetAsync(() => Task.FromResult(Receiver.At(endpoint)), r => r.Count >= 2, TimeSpan.FromSeconds(20), "a 500, then the retry");
        requests.Should().OnlyContain(r => r.Header("user-agent") == "FulFil-Webhook/1.0" && r.Header("x-webhook-version") == "2024-06-01");
        var stamps = requests.Select(r => r.Json.GetProperty("timestamp").GetString()).Distinct().ToList();
        stamps.Should().ContainSingle("the envelope's timestamp is when the event occurred, the same on every attempt");
        requests.Select(r => r.Json.GetProperty("attempt").GetInt32()).Should().Equal(1, 2);
        var logs = await admin.LogsAsync(subscription);
        logs.Should().HaveCount(2);
        logs.Should().OnlyContain(l => l.GetProperty("payload").GetProperty("timestamp").GetString() == stamps[0], "each log line carries the body it sent");
        logs.Select(l => l.GetProperty("payload").GetProperty("attempt").GetInt32()).Should().BeEquivalentTo([1, 2]);
    }

    [Fact]
    public async Task ARetrySchedule_ReplacesTheDefault_AndAnyNon2xxIsRetried_ThenTheDeliveryIsDead()
    {
        using var admin = app.CreateAdminClient();
        var endpoint = DeliveryClient.Unique("status-400-");
        var type = DeliveryClient.Unique("partner") + ".retried";
        var subscription = await admin.SubscribeAsync(Receiver.Url(endpoint), [type], new { retry_schedule = new[] { 1, 1 }, retry_on = "any_non_2xx", retry_count = 9 });
        subscription.GetProperty("retry_count").GetInt32().Should().Be(2, "a retry schedule replaces retry_count, which reads back as its length");
        subscription.GetProperty("retry_on").GetString().Should().Be("any_non_2xx");

        await app.CreateClient().PublishAsync(type, new { n = 1 });

        await Eventually.GetAsync(() => Task.FromResult(Receiver.At(endpoint)), r => r.Count == 3, TimeSpan.FromSeconds(20), "a 400 is retried on the subscription's schedule");
        var dead = await Eventually.GetAsync(
            async () => (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/deliveries?status=dead&subscription_id={subscription.GetProperty("id").GetString()}")).GetProperty("items"),
            items => items.GetArrayLength() == 1, TimeSpan.FromSeconds(20));
        dead[0].GetProperty("attempts").GetInt32().Should().Be(3);
        dead[0].GetProperty("last_status").GetInt32().Should().Be(400);
    }

    [Theory]
    [InlineData("""{"retry_schedule":[0]}""", "retry_schedule")]
    [InlineData("""{"retry_schedule":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21]}""", "retry_schedule")]
    [InlineData("""{"retry_on":"always"}""", "retry_on")]
    [InlineData("""{"user_agent":"line\nbreak"}""", "user_agent")]
    public async Task InvalidPartnerFields_Are400_NamingTheField(string fields, string named)
    {
        using var admin = app.CreateAdminClient();
        var body = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(fields)!;
        body["url"] = JsonSerializer.SerializeToElement(Receiver.Url("never"));
        body["events"] = JsonSerializer.SerializeToElement(new[] { "never.tested" });

        var answer = await admin.PostAsJsonAsync("/api/v1/subscriptions", body);

        (await answer.ProblemAsync(400)).GetProperty("detail").GetString().Should().Contain(named);
    }

    [Fact]
    public async Task ADeadDelivery_IsListed_ShownWithItsAttempts_RetriedUnderTheSameMessageId_ThenArchived()
    {
        using var admin = app.CreateAdminClient();
        var endpoint = DeliveryClient.Unique("fail-1-dead-");
        var type = DeliveryClient.Unique("partner") + ".dead";
        var subscription = await admin.SubscribeAsync(Receiver.Url(endpoint), [type], new { retry_count = 0 });
        var subscriptionId = subscription.GetProperty("id").GetString();
        await app.CreateClient().PublishAsync(type, new { n = 7 });

        var listed = await Eventually.GetAsync(
            async () => (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/deliveries?status=dead&subscription_id={subscriptionId}&event={type}")).GetProperty("items"),
            items => items.GetArrayLength() == 1, TimeSpan.FromSeconds(20), "the first attempt fails and retry_count 0 gives up");
        var id = listed[0].GetProperty("id").GetString();
        var messageId = listed[0].GetProperty("message_id").GetString();

        var detail = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/deliveries/{id}");
        detail.GetProperty("attempts").GetArrayLength().Should().Be(1);
        detail.GetProperty("attempts")[0].GetProperty("status_code").GetInt32().Should().Be(500);
        detail.GetProperty("payload").GetProperty("data").GetProperty("n").GetInt32().Should().Be(7);

        var retried = await (await admin.PostAsync($"/api/v1/deliveries/{id}/retry", null)).Content.ReadFromJsonAsync<JsonElement>();
        retried.GetProperty("status").GetString().Should().Be("pending");
        var arrived = await Eventually.GetAsync(() => Task.FromResult(Receiver.At(endpoint)), r => r.Count == 2, TimeSpan.FromSeconds(20));
        arrived.Select(r => r.Header("webhook-id")).Distinct().Should().Equal([messageId], "a retry keeps the message id receivers de-duplicate on");
        await Eventually.GetAsync(async () => (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/deliveries/{id}")).GetProperty("delivery").GetProperty("status").GetString(),
            s => s == "delivered", TimeSpan.FromSeconds(20));
        await (await admin.PostAsync($"/api/v1/deliveries/{id}/archive", null)).ProblemAsync(409);

        // A delivery still under way (its endpoint takes 5 s to time out) cannot be retried: 409.
        var hanging = DeliveryClient.Unique("hang-");
        var slowType = DeliveryClient.Unique("partner") + ".slow";
        var slow = await admin.SubscribeAsync(Receiver.Url(hanging), [slowType], new { timeout_seconds = 5 });
        await app.CreateClient().PublishAsync(slowType, new { n = 8 });
        var pending = await Eventually.GetAsync(
            async () => (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/deliveries?status=pending&subscription_id={slow.GetProperty("id").GetString()}")).GetProperty("items"),
            items => items.GetArrayLength() == 1, TimeSpan.FromSeconds(20));
        await (await admin.PostAsync($"/api/v1/deliveries/{pending[0].GetProperty("id").GetString()}/retry", null)).ProblemAsync(409);
    }

    [Fact]
    public async Task ABulkRetry_IsABackgroundJob_ThatQueuesEveryMatchingDeadDelivery_AndArchivedOnesStayAside()
    {
        using var admin = app.CreateAdminClient();
        var endpoint = DeliveryClient.Unique("fail-3-bulk-");
        var type = DeliveryClient.Unique("partner") + ".bulk";
        var subscription = await admin.SubscribeAsync(Receiver.Url(endpoint), [type], new { retry_count = 0 });
        var subscriptionId = subscription.GetProperty("id").GetString();
        for (var i = 0; i < 3; i++)
        {
            await app.CreateClient().PublishAsync(type, new { n = i });
        }

        var dead = await Eventually.GetAsync(
            async () => (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/deliveries?status=dead&subscription_id={subscriptionId}")).GetProperty("items"),
            items => items.GetArrayLength() == 3, TimeSpan.FromSeconds(20));
        (await (await admin.PostAsync($"/api/v1/deliveries/{dead[0].GetProperty("id").GetString()}/archive", null)).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("status").GetString().Should().Be("archived");

        var started = await admin.PostAsJsonAsync("/api/v1/deliveries/retry", new { subscription_id = subscriptionId });
        started.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var job = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("job_id").GetString();
        await Eventually.GetAsync(async () => (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/admin/jobs/{job}")).GetProperty("status").GetString(),
            s => s == "completed", TimeSpan.FromSeconds(30));

        await Eventually.GetAsync(
            async () => (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/deliveries?status=delivered&subscription_id={subscriptionId}")).GetProperty("items").GetArrayLength(),
            n => n == 2, TimeSpan.FromSeconds(20), "the two dead ones are delivered on their retry");
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/deliveries?status=archived&subscription_id={subscriptionId}")).GetProperty("items").GetArrayLength()
            .Should().Be(1, "an archived delivery is left aside by a retry of dead ones");
    }
}
