using System.Text.Json;
using Npgsql;
using Webhooks.Application.Delivery;

namespace Webhooks.Infrastructure.Delivery;

/// <summary>A real, signed request to a subscription's endpoint (active or not), logged like any attempt.</summary>
internal sealed class SubscriptionTester(NpgsqlDataSource dataSource, PostgresDeliveryStore store, DeliverySender sender, TimeProvider clock) : ISubscriptionTester
{
    public async Task<TestSendResult?> SendTestAsync(Guid id, string eventType, JsonElement payload, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        Endpoint endpoint;
        await using (var command = new NpgsqlCommand("SELECT url, headers::text, timeout_seconds, signature_scheme FROM subscriptions WHERE id = $1", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = id });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            endpoint = new Endpoint(id, reader.GetString(0), JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(1)) ?? [], reader.GetInt32(2), reader.GetString(3), []);
        }

        endpoint = endpoint with { Secrets = await store.ActiveSecretsAsync(connection, id, now, cancellationToken) };
        var outcome = await sender.SendAsync(endpoint, "msg_test_" + Guid.CreateVersion7(now).ToString("N"), eventType, 1, payload, bypassBreaker: true, cancellationToken);
        var success = outcome.StatusCode is >= 200 and < 300;
        var error = outcome.Error ?? (success ? null : $"HTTP {outcome.StatusCode}");
        await PostgresDeliveryStore.Execute(connection, null, """
            INSERT INTO delivery_attempts (id, subscription_id, delivery_id, event, attempt, status_code, response_time_ms, response_body, error, created_at)
            VALUES ($1, $2, NULL, $3, 1, $4, $5, $6, $7, $8)
            """, cancellationToken, Guid.CreateVersion7(now), id, eventType, PostgresDeliveryStore.Typed(outcome.StatusCode, NpgsqlTypes.NpgsqlDbType.Integer),
            outcome.ResponseTimeMs, PostgresDeliveryStore.Typed(outcome.ResponseBody, NpgsqlTypes.NpgsqlDbType.Text), PostgresDeliveryStore.Typed(error, NpgsqlTypes.NpgsqlDbType.Text), now);
        return new TestSendResult(success, outcome.StatusCode, outcome.ResponseTimeMs, outcome.ResponseBody, error);
    }
}
