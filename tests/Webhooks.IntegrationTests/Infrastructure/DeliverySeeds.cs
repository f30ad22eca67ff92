namespace Webhooks.IntegrationTests.Infrastructure;

/// <summary>Dead outbound deliveries as the workers leave them: a subscription, its event, and the delivery that gave up.</summary>
internal static class DeliverySeeds
{
    /// <returns>The deliveries' ids.</returns>
    public static async Task<List<Guid>> SeedDeadAsync(TestDatabase database, string eventType, int count, string error = "HTTP 503")
    {
        var subscription = Guid.CreateVersion7();
        await database.ExecuteAsync("""
            INSERT INTO subscriptions (id, url, events, is_active, retry_count, timeout_seconds, signature_scheme, created_at, updated_at)
            VALUES ($1, 'https://partner.example/webhooks', ARRAY[$2], true, 7, 30, 'standard', now(), now())
            """, subscription, eventType);
        var ids = Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7()).ToArray();
        await database.ExecuteAsync("""
            WITH seeds AS (SELECT unnest($1::uuid[]) AS id),
            events AS (
                INSERT INTO outbound_events (id, type, data, origin, fanned_out, created_at)
                SELECT 'evt_' || replace(id::text, '-', ''), $2, '{"seeded":true}', 'http', 1, now() - interval '1 minute' FROM seeds)
            INSERT INTO deliveries (id, event_id, subscription_id, event_type, status, attempts, next_attempt_at, last_status, last_error, created_at, completed_at)
            SELECT id, 'evt_' || replace(id::text, '-', ''), $3, $2, 'dead', 8, now(), 503, $4, now() - interval '1 minute', now() FROM seeds
            """, ids, eventType, subscription, error);
        return [.. ids];
    }
}
