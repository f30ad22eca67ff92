namespace Webhooks.IntegrationTests.Infrastructure;

/// <summary>Dead letters as the relay leaves them (event row 'dead', letter 'dead'), with envelopes a replay publishes as they are.</summary>
internal static class DeadLetterSeeds
{
    public const string EventType = "evt.webhook.seeded.test";

    /// <returns>The event ids, which are the AMQP message ids of their replays.</returns>
    public static async Task<List<Guid>> SeedAsync(TestDatabase database, string source, int count, string error = "nack")
    {
        var ids = Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7()).ToArray();
        await database.ExecuteAsync("""
            WITH seeds AS (SELECT unnest($1::uuid[]) AS event_id),
            outbox AS (
                INSERT INTO outbox_messages (id, source, event_type, envelope, status, attempts, next_attempt_at, created_at)
                SELECT event_id, $2, $3, json_build_object('specversion', '1.0', 'id', event_id, 'type', $3::text, 'source', '/webhooks/' || $2)::text,
                       'dead', 15, now(), now() - interval '1 minute' FROM seeds)
            INSERT INTO dead_letters (id, event_id, source, event_type, envelope, attempts, errors, last_error, status, created_at)
            SELECT gen_random_uuid(), event_id, $2, $3, '{}', 15, jsonb_build_array(jsonb_build_object('at', now(), 'attempt', 15, 'error', $4::text)), $4, 'dead', now() - interval '1 minute'
            FROM seeds
            """, ids, source, EventType, error);
        return [.. ids];
    }
}
