using System.Text.Json;
using Npgsql;
using Webhooks.Application.Common.Json;
using Webhooks.Application.Delivery;
using Webhooks.Application.Delivery.Sending;
using Webhooks.Infrastructure.Persistence;
using Webhooks.Domain.Delivery;

namespace Webhooks.Infrastructure.Delivery;

/// <summary>A subscription as its deliveries need it.</summary>
internal sealed record EndpointState(Endpoint Endpoint, bool Active, RetryRules Retries);

/// <summary>
/// The delivery claim (a measured hot path, hand-written SQL): due deliveries taken with SKIP LOCKED and a lease, so
/// several instances share the work and a delivery whose worker died is taken again once its lease lapses; at most
/// the per-endpoint cap in flight per subscription, counted across instances.
/// </summary>
internal sealed class DeliveryClaims(NpgsqlDataSource dataSource, SubscriptionProtector protector) : IDeliveryClaims
{
    /// <summary>
    /// A claim lasts the subscription's timeout and this much more (recording the result): long enough for its one
    /// request, short enough that a claim a dead worker left behind frees its endpoint's slot within about a minute
    /// and a half at the default timeout (it was 6 minutes for every endpoint, which held idle endpoints back).
    /// </summary>
    public static readonly TimeSpan LeaseBeyondTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The advisory-lock key space of per-subscription claims ("WBDC"), apart from the gateway's other locks.</summary>
    private const int ClaimLockSpace = 0x57424443;

    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(string owner, int limit, int perSubscription, IReadOnlyCollection<Guid> busy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var claimed = new List<(Guid Id, string EventId, Guid Subscription, string Type, int Attempts)>();
        await using (var command = new NpgsqlCommand($"""
            WITH inflight AS (
                -- Deliveries being sent now, by any instance: they count against each endpoint's concurrency cap.
                SELECT subscription_id, count(*) AS c FROM deliveries
                WHERE status = '{DeliveryStatus.Pending.Text()}' AND claimed_until >= $1
                GROUP BY subscription_id),
            candidates AS (
                -- Each endpoint's next due deliveries, at most its cap, straight from ix_deliveries_subscription_due.
                -- Disabled subscriptions are visited too: their pending deliveries are claimed to be parked.
                SELECT s.id AS subscription_id, d.id, d.next_attempt_at, coalesce(f.c, 0) AS busy,
                       row_number() OVER (PARTITION BY s.id ORDER BY d.next_attempt_at) AS n
                FROM subscriptions s
                LEFT JOIN inflight f ON f.subscription_id = s.id
                CROSS JOIN LATERAL (
                    SELECT id, next_attempt_at FROM deliveries
                    WHERE subscription_id = s.id AND status = '{DeliveryStatus.Pending.Text()}' AND next_attempt_at <= $1
                      AND (claimed_until IS NULL OR claimed_until < $1)
                    ORDER BY next_attempt_at LIMIT $3
                    -- Locked here, so one another instance claimed or finished meanwhile is skipped, not sent twice.
                    FOR UPDATE SKIP LOCKED) d
                WHERE NOT (s.id = ANY ($2))),
            eligible AS (
                SELECT subscription_id, id, next_attempt_at FROM candidates WHERE n + busy <= $3),
            chosen AS (
                -- The endpoints whose work is due first, no more of them than this claim can take: only these take
                -- the per-subscription lock, so a claim holds a handful of locks whatever the number of subscriptions.
                SELECT subscription_id FROM eligible GROUP BY subscription_id ORDER BY min(next_attempt_at) LIMIT $4),
            locked AS (
                -- One claim per subscription at a time across instances: a claim running concurrently on another
                -- instance has locked rows this one would skip, and its claims are not committed yet, so neither
                -- the ranking nor inflight would count them and the cap would be exceeded. The lock ends with the
                -- statement; the next claim sees the committed leases in inflight. (A CTE with a volatile function
                -- is evaluated on its own, once per chosen row.)
                SELECT subscription_id FROM chosen WHERE pg_try_advisory_xact_lock({ClaimLockSpace}, hashtext(subscription_id::text))),
            picked AS (
                SELECT e.id, e.subscription_id FROM eligible e JOIN locked l ON l.subscription_id = e.subscription_id ORDER BY e.next_attempt_at LIMIT $4)
            UPDATE deliveries d SET claimed_by = $5, claimed_until = $1 + make_interval(secs => s.timeout_seconds + $6)
            FROM picked JOIN subscriptions s ON s.id = picked.subscription_id
            WHERE d.id = picked.id
            RETURNING d.id, d.event_id, d.subscription_id, d.event_type, d.attempts
            """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = now });
            command.Parameters.Add(new NpgsqlParameter { Value = busy.ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = perSubscription });
            command.Parameters.Add(new NpgsqlParameter { Value = limit });
            command.Parameters.Add(new NpgsqlParameter { Value = owner });
            command.Parameters.Add(new NpgsqlParameter { Value = LeaseBeyondTimeout.TotalSeconds });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            int id = reader.GetOrdinal("id"), eventId = reader.GetOrdinal("event_id"), subscription = reader.GetOrdinal("subscription_id"),
                type = reader.GetOrdinal("event_type"), attempts = reader.GetOrdinal("attempts");
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add((reader.GetGuid(id), reader.GetString(eventId), reader.GetGuid(subscription), reader.GetString(type), reader.GetInt32(attempts)));
            }
        }

        if (claimed.Count == 0)
        {
            return [];
        }

        var data = new Dictionary<string, (JsonElement Data, DateTimeOffset OccurredAt)>(StringComparer.Ordinal);
        var unreadable = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(
            "SELECT id, data::text AS data, coalesce(occurred_at, created_at) AS occurred_at FROM outbound_events WHERE id = ANY ($1)", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = claimed.Select(c => c.EventId).Distinct().ToArray() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            int id = reader.GetOrdinal("id"), json = reader.GetOrdinal("data"), occurred = reader.GetOrdinal("occurred_at");
            while (await reader.ReadAsync(cancellationToken))
            {
                // Read at the depth the intake accepts; an event that still cannot be read is parked as dead, never
                // claimed again and again (and never the end of the worker).
                try
                {
                    data[reader.GetString(id)] = (StoredJson.Element(reader.GetString(json)), reader.GetFieldValue<DateTimeOffset>(occurred));
                }
                catch (JsonException ex)
                {
                    unreadable[reader.GetString(id)] = $"the stored event could not be read: {ex.Message}";
                }
            }
        }

        var endpoints = await EndpointsAsync(connection, claimed.Select(c => c.Subscription).Distinct().ToArray(), now, cancellationToken);

        var work = new List<ClaimedDelivery>();
        var stopped = new List<Guid>();
        var broken = new List<(Guid Id, string Error)>();
        foreach (var c in claimed)
        {
            if (unreadable.TryGetValue(c.EventId, out var why))
            {
                broken.Add((c.Id, why));
                continue;
            }

            if (!endpoints.TryGetValue(c.Subscription, out var endpoint) || !data.TryGetValue(c.EventId, out var payload))
            {
                continue;
            }

            if (!endpoint.Active)
            {
                stopped.Add(c.Id);
                continue;
            }

            work.Add(new ClaimedDelivery(c.Id, c.Type, c.Attempts, payload.Data, payload.OccurredAt, endpoint.Endpoint, endpoint.Retries, owner));
        }

        if (stopped.Count > 0)
        {
            // Disabled meanwhile: park them as dead; re-enabling replays them.
            await Sql.ExecuteAsync(connection, null, $"""
                UPDATE deliveries SET status = '{DeliveryStatus.Dead.Text()}', last_error = $3, completed_at = $2, claimed_by = NULL, claimed_until = NULL
                WHERE id = ANY ($1)
                """, cancellationToken, stopped.ToArray(), now, DeliveryStatuses.StoppedBySubscription);
        }

        if (broken.Count > 0)
        {
            await Sql.ExecuteAsync(connection, null, $"""
                UPDATE deliveries d SET status = '{DeliveryStatus.Dead.Text()}', last_error = b.error, completed_at = $3, claimed_by = NULL, claimed_until = NULL
                FROM unnest($1::uuid[], $2::text[]) AS b(id, error) WHERE d.id = b.id
                """, cancellationToken, broken.Select(b => b.Id).ToArray(), broken.Select(b => b.Error).ToArray(), now);
        }

        return work;
    }

    public async Task<Endpoint?> EndpointAsync(Guid subscription, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await EndpointsAsync(connection, [subscription], now, cancellationToken)).TryGetValue(subscription, out var found) ? found.Endpoint : null;
    }

    /// <summary>
    /// What sending to each of these subscriptions needs — URL, headers, timeout, scheme and the active secrets,
    /// decrypted — with its state and retry count, in two queries whatever their number. Deleted ones are absent.
    /// </summary>
    private async Task<Dictionary<Guid, EndpointState>> EndpointsAsync(
        NpgsqlConnection connection, Guid[] ids, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var secrets = new Dictionary<Guid, List<string>>();
        await using (var command = new NpgsqlCommand("""
            SELECT subscription_id, protected FROM subscription_secrets
            WHERE subscription_id = ANY ($1) AND (expires_at IS NULL OR expires_at > $2) ORDER BY created_at, id
            """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = ids });
            command.Parameters.Add(new NpgsqlParameter { Value = now });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            int subscription = reader.GetOrdinal("subscription_id"), sealedSecret = reader.GetOrdinal("protected");
            while (await reader.ReadAsync(cancellationToken))
            {
                if (protector.Unprotect(reader.GetString(sealedSecret)) is { } secret)
                {
                    var id = reader.GetGuid(subscription);
                    (secrets.TryGetValue(id, out var list) ? list : secrets[id] = []).Add(secret);
                }
            }
        }

        var endpoints = new Dictionary<Guid, EndpointState>();
        await using (var command = new NpgsqlCommand("""
            SELECT id, url, headers::text AS headers, timeout_seconds, signature_scheme, is_active, retry_count, user_agent, api_version, retry_schedule, retry_on
            FROM subscriptions WHERE id = ANY ($1)
            """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = ids });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            int id = reader.GetOrdinal("id"), url = reader.GetOrdinal("url"), headers = reader.GetOrdinal("headers"), timeout = reader.GetOrdinal("timeout_seconds"),
                scheme = reader.GetOrdinal("signature_scheme"), active = reader.GetOrdinal("is_active"), retries = reader.GetOrdinal("retry_count"),
                agent = reader.GetOrdinal("user_agent"), version = reader.GetOrdinal("api_version"), schedule = reader.GetOrdinal("retry_schedule"), on = reader.GetOrdinal("retry_on");
            while (await reader.ReadAsync(cancellationToken))
            {
                var subscription = reader.GetGuid(id);
                var endpoint = new Endpoint(subscription, reader.GetString(url), protector.UnprotectHeaders(reader.GetString(headers)),
                    reader.GetInt32(timeout), reader.GetString(scheme), secrets.GetValueOrDefault(subscription) ?? [])
                {
                    UserAgent = reader.IsDBNull(agent) ? DeliveryEnvelope.DefaultUserAgent : reader.GetString(agent),
                    ApiVersion = reader.IsDBNull(version) ? null : reader.GetString(version),
                };
                endpoints[subscription] = new EndpointState(endpoint, reader.GetBoolean(active), new RetryRules(
                    reader.GetInt32(retries), reader.IsDBNull(schedule) ? null : reader.GetFieldValue<int[]>(schedule), reader.GetString(on)));
            }
        }

        return endpoints;
    }
}
