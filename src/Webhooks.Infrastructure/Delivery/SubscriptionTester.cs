using System.Text.Json;
using Npgsql;
using Webhooks.Application.Delivery;

namespace Webhooks.Infrastructure.Delivery;

/// <summary>A real, signed request to a subscription's endpoint (active or not), logged like any attempt.</summary>
internal sealed class SubscriptionTester(NpgsqlDataSource dataSource, DeliveryClaims claims, DeliverySender sender, TimeProvider clock) : ISubscriptionTester
{
    public async Task<TestSendResult?> SendTestAsync(Guid id, string eventType, JsonElement payload, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        Endpoint endpoint;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            if (!(await claims.EndpointsAsync(connection, [id], now, cancellationToken)).TryGetValue(id, out var found))
            {
                return null;
            }

            endpoint = found.Endpoint;
        }

        var messageId = "msg_test_" + Guid.CreateVersion7(now).ToString("N");
        var body = DeliveryEnvelope.Write(messageId, eventType, now, id, 1, payload);
        var outcome = await sender.SendAsync(endpoint, messageId, eventType, body, bypassBreaker: true, cancellationToken);
        var success = outcome.StatusCode is >= 200 and < 300;
        var error = outcome.Error ?? (success ? null : $"HTTP {outcome.StatusCode}");
        await DeliveryRecorder.LogTestAsync(dataSource, id, eventType, outcome, error, System.Text.Encoding.UTF8.GetString(body), now, cancellationToken);
        return new TestSendResult(success, outcome.StatusCode, outcome.ResponseTimeMs, outcome.ResponseBody, error);
    }
}
