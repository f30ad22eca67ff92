using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>Delivery with the defaults: private destinations refused, https only.</summary>
public sealed class GuardedDeliveryApp : WithReceiverApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Webhooks:Delivery:PublisherKeys:0"] = DeliveryClient.PublisherKey,
        ["Webhooks:Delivery:RetrySchedule:0"] = "00:00:00.200",
    };
}

public sealed class DestinationGuardTests(GuardedDeliveryApp app) : IClassFixture<GuardedDeliveryApp>
{
    [Theory]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://10.0.0.1/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://localhost/hook")]
    [InlineData("https://192.168.1.20:8443/hook")]
    public async Task Creation_OfAPrivateOrMetadataDestination_IsRefused(string url)
    {
        using var admin = app.CreateAdminClient();
        var problem = await (await admin.PostAsJsonAsync("/api/v1/subscriptions", new { url, events = new[] { "order.created" } })).ProblemAsync(400);
        problem.GetProperty("detail").GetString().Should().Contain("refused");
    }

    [Fact]
    public async Task Creation_OfAnHttpDestination_IsRefused_UnlessAllowed()
    {
        using var admin = app.CreateAdminClient();
        var problem = await (await admin.PostAsJsonAsync("/api/v1/subscriptions", new { url = "http://hooks.example.com/in", events = new[] { "order.created" } })).ProblemAsync(400);
        problem.GetProperty("detail").GetString().Should().Contain("https");
    }

    /// <summary>A destination that resolved to a public address when created and to loopback now (DNS changed) is refused at connection time.</summary>
    [Fact]
    public async Task Delivery_ToADestinationThatNowResolvesToLoopback_IsRefusedAtConnectionTime()
    {
        var endpoint = DeliveryClient.Unique("ok-");
        var id = Guid.CreateVersion7();
        await app.Database.ExecuteAsync("""
            INSERT INTO subscriptions (id, url, events, is_active, retry_count, timeout_seconds, signature_scheme, created_at, updated_at)
            VALUES ($1, $2, ARRAY['guard.tested'], true, 0, 5, 'standard', now(), now())
            """, id, app.Receiver!.Url(endpoint));
        using var admin = app.CreateAdminClient();
        (await admin.PostAsJsonAsync($"/api/v1/subscriptions/{id}/secret/rotate", new { })).EnsureSuccessStatusCode();

        (await app.CreateClient().PublishAsync("guard.tested", new { n = 1 })).GetProperty("subscriptions").GetInt32().Should().Be(1);

        var logs = await Eventually.GetAsync(
            async () => (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/subscriptions/{id}/logs")).GetProperty("items").EnumerateArray().ToList(), l => l.Count > 0);
        logs[0].GetProperty("error").GetString().Should().Contain("Destination refused").And.Contain("127.0.0.1");
        app.Receiver.At(endpoint).Should().BeEmpty("no byte reached the loopback endpoint");
    }
}
