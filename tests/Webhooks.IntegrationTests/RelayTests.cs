using System.Text.Json;
using FluentAssertions;
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
            n => n == 2,
            TimeSpan.FromSeconds(30));

        dead.Should().Be(2);
        var letter = await app.Database.ScalarAsync<string>(
            "SELECT json_build_object('attempts', attempts, 'last_error', last_error, 'errors', jsonb_array_length(errors), 'status', status)::text FROM dead_letters WHERE event_type = 'evt.webhook.order.created' AND event_id IN (SELECT id FROM outbox_messages WHERE inbox_id = $1)",
            accepted.Id);
        var json = JsonDocument.Parse(letter).RootElement;
        json.GetProperty("attempts").GetInt32().Should().Be(3);
        json.GetProperty("errors").GetInt32().Should().Be(3, "every attempt's error is kept");
        json.GetProperty("last_error").GetString().Should().Contain("unroutable");
        json.GetProperty("status").GetString().Should().Be("dead");
    }
}
