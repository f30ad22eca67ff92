using System.Text.Json;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Webhooks.Infrastructure.Relay;
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

    [Fact]
    public async Task RelaySessions_CommitAsynchronously_WhileIngestSessionsStayDurable()
    {
        // The relay's bookkeeping may be lost in a database crash (it only repeats a publish); a stored webhook may not.
        (await SettingAsync(app.Services.GetRequiredKeyedService<NpgsqlDataSource>(OutboxStore.DataSourceKey))).Should().Be("off");
        (await SettingAsync(app.Services.GetRequiredService<NpgsqlDataSource>())).Should().Be("on");

        static async Task<string?> SettingAsync(NpgsqlDataSource dataSource)
        {
            await using var command = dataSource.CreateCommand("SHOW synchronous_commit");
            return (string?)await command.ExecuteScalarAsync();
        }
    }
}
