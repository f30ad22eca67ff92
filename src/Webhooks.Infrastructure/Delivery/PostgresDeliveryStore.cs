using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;
using NpgsqlTypes;
using Webhooks.Application.Delivery;
using Webhooks.Domain.Delivery;
using Webhooks.Infrastructure.Sources;

namespace Webhooks.Infrastructure.Delivery;

/// <summary>Subscriptions, intake with fan-out, replay and logs, in PostgreSQL; secrets encrypted with Data Protection.</summary>
internal sealed class PostgresDeliveryStore(NpgsqlDataSource dataSource, IDataProtectionProvider protection, DeliverySignal signal, TimeProvider clock) : IDeliveryStore
{
    public const string ProtectorPurpose = "Webhooks.Subscriptions.Secrets.v1";
    private const string Columns = """
        id, url, events, description, is_active, headers::text, retry_count, timeout_seconds, signature_scheme, include_inbound,
        success_count, failure_count, last_triggered_at, last_error, disabled_at, disabled_reason, created_at, updated_at
        """;

    private readonly IDataProtector protector = protection.CreateProtector(ProtectorPurpose);
    private InboundPatterns? inboundWanted;
    private long subscriptionChanges;

    public async Task<SubscriptionView> CreateAsync(SubscriptionInput input, string secret, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, transaction, """
            INSERT INTO subscriptions (id, url, events, description, is_active, headers, retry_count, timeout_seconds, signature_scheme, include_inbound, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $11)
            """, cancellationToken, id, input.Url!, input.Events!.Distinct(StringComparer.Ordinal).ToArray(), (object?)input.Description ?? DBNull.Value,
            input.IsActive ?? true, ProtectHeaders(input.Headers), input.RetryCount ?? 7, input.TimeoutSeconds ?? 30,
            input.SignatureScheme ?? "standard", input.IncludeInbound ?? false, now);
        await InsertSecret(connection, transaction, id, secret, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        ForgetInboundPatterns();
        return (await FindAsync(id, cancellationToken))!;
    }

    public async Task<SubscriptionView?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await Read(connection, $"SELECT {Columns} FROM subscriptions WHERE id = $1", cancellationToken, id)).FirstOrDefault();
    }

    public async Task<SubscriptionPage> ListAsync(int limit, int offset, Guid? after, bool? isActive, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await Read(connection, $"""
            SELECT {Columns} FROM subscriptions
            WHERE ($1::boolean IS NULL OR is_active = $1) AND ($2::uuid IS NULL OR id > $2)
            ORDER BY id LIMIT $3 OFFSET $4
            """, cancellationToken, Typed(isActive, NpgsqlDbType.Boolean), Typed(after, NpgsqlDbType.Uuid), limit + 1, after is null ? offset : 0);
        var page = rows.Take(limit).ToList();
        return new SubscriptionPage(page, rows.Count > limit ? Application.Common.Paging.Cursor.Encode(page[^1].Id) : null);
    }

    public async Task<SubscriptionView?> UpdateAsync(Guid id, SubscriptionInput patch, CancellationToken cancellationToken)
    {
        var current = await FindAsync(id, cancellationToken);
        if (current is null)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var enabling = patch.IsActive == true && !current.IsActive;
        var disabling = patch.IsActive == false && current.IsActive;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Execute(connection, null, """
            UPDATE subscriptions SET url = $2, events = $3, description = $4, is_active = $5, headers = $6::jsonb, retry_count = $7,
                timeout_seconds = $8, signature_scheme = $9, include_inbound = $10, updated_at = $11,
                disabled_at = CASE WHEN $12 THEN NULL WHEN $13 THEN $11 ELSE disabled_at END,
                disabled_reason = CASE WHEN $12 THEN NULL WHEN $13 THEN 'disabled by an operator' ELSE disabled_reason END,
                consecutive_failures = CASE WHEN $12 THEN 0 ELSE consecutive_failures END,
                failing_since = CASE WHEN $12 THEN NULL ELSE failing_since END
            WHERE id = $1
            """, cancellationToken, id, patch.Url ?? current.Url, (patch.Events ?? [.. current.Events]).Distinct(StringComparer.Ordinal).ToArray(),
            (object?)(patch.Description ?? current.Description) ?? DBNull.Value, patch.IsActive ?? current.IsActive,
            ProtectHeaders(patch.Headers ?? current.Headers), patch.RetryCount ?? current.RetryCount, patch.TimeoutSeconds ?? current.TimeoutSeconds,
            patch.SignatureScheme ?? current.SignatureScheme, patch.IncludeInbound ?? current.IncludeInbound, now, enabling, disabling);
        ForgetInboundPatterns();
        return await FindAsync(id, cancellationToken);
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var deleted = await Execute(connection, null, "DELETE FROM subscriptions WHERE id = $1", cancellationToken, id) > 0;
        ForgetInboundPatterns();
        return deleted;
    }

    public async Task<SubscriptionView?> RotateSecretAsync(Guid id, string secret, TimeSpan overlap, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await Execute(connection, transaction, "UPDATE subscriptions SET updated_at = $2 WHERE id = $1", cancellationToken, id, now) == 0)
        {
            return null;
        }

        await Execute(connection, transaction,
            "UPDATE subscription_secrets SET expires_at = LEAST(COALESCE(expires_at, $2), $2) WHERE subscription_id = $1",
            cancellationToken, id, now + overlap);
        await InsertSecret(connection, transaction, id, secret, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await FindAsync(id, cancellationToken);
    }

    public async Task<(IReadOnlyList<AttemptLog> Items, Guid? Next)> LogsAsync(Guid id, int limit, Guid? before, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, event, attempt, status_code, response_time_ms, response_body, error, created_at, delivery_id
            FROM delivery_attempts WHERE subscription_id = $1 AND ($2::uuid IS NULL OR id < $2)
            ORDER BY id DESC LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(Typed(before, NpgsqlDbType.Uuid));
        command.Parameters.Add(new NpgsqlParameter { Value = limit + 1 });
        var items = new List<AttemptLog>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new AttemptLog(reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetInt32(3),
                reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetFieldValue<DateTimeOffset>(7), reader.IsDBNull(8) ? null : reader.GetGuid(8)));
        }

        var page = items.Take(limit).ToList();
        return (page, items.Count > limit ? page[^1].Id : null);
    }

    public async Task<PublishedEvent> IntakeAsync(OutboundEvent outbound, bool inboundOnly, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (inboundOnly && !(await InboundPatternsAsync(now, cancellationToken)).Any(patterns => EventPatterns.Matches(patterns, outbound.Type)))
        {
            return new PublishedEvent(outbound.Id, 0, false); // the common case: nobody wants it, and no query per event
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var published = await FanOutAsync(connection, transaction, outbound, inboundOnly, exclude: null, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (!published.Duplicate && published.Subscriptions > 0)
        {
            signal.Notify();
        }

        return published;
    }

    /// <summary>
    /// Stores the event and one pending delivery per active subscription whose patterns match (but
    /// <paramref name="exclude"/>), in the caller's transaction. An event id seen before changes nothing and answers the
    /// first fan-out; with <paramref name="inboundOnly"/> an event no opted-in subscription wants is not stored.
    /// </summary>
    internal static async Task<PublishedEvent> FanOutAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, OutboundEvent outbound, bool inboundOnly, Guid? exclude, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var targets = new List<Guid>();
        await using (var select = new NpgsqlCommand("SELECT id, events, include_inbound FROM subscriptions WHERE is_active", connection, transaction))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if ((!inboundOnly || reader.GetBoolean(2)) && reader.GetGuid(0) != exclude && EventPatterns.Matches(reader.GetFieldValue<string[]>(1), outbound.Type))
                {
                    targets.Add(reader.GetGuid(0));
                }
            }
        }

        if (inboundOnly && targets.Count == 0)
        {
            return new PublishedEvent(outbound.Id, 0, false);
        }

        var inserted = await Execute(connection, transaction, """
            INSERT INTO outbound_events (id, type, data, origin, fanned_out, created_at) VALUES ($1, $2, $3::jsonb, $4, $5, $6)
            ON CONFLICT (id) DO NOTHING
            """, cancellationToken, outbound.Id, outbound.Type, outbound.Data.GetRawText(), outbound.Origin, targets.Count, now);
        if (inserted == 0)
        {
            await using var first = new NpgsqlCommand("SELECT fanned_out FROM outbound_events WHERE id = $1", connection, transaction);
            first.Parameters.Add(new NpgsqlParameter { Value = outbound.Id });
            var count = (int)(await first.ExecuteScalarAsync(cancellationToken))!;
            return new PublishedEvent(outbound.Id, count, true);
        }

        if (targets.Count > 0)
        {
            await Execute(connection, transaction, """
                INSERT INTO deliveries (id, event_id, subscription_id, event_type, status, next_attempt_at, created_at)
                SELECT d, $2, s, $3, 'pending', $4, $4 FROM unnest($1::uuid[], $5::uuid[]) AS t(d, s)
                """, cancellationToken, targets.Select(_ => Guid.CreateVersion7(now)).ToArray(), outbound.Id, outbound.Type, now, targets.ToArray());
        }

        return new PublishedEvent(outbound.Id, targets.Count, false);
    }

    public async Task<int?> ReplayAsync(Guid id, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        string[] patterns;
        bool inbound;
        await using (var read = new NpgsqlCommand("SELECT events, include_inbound FROM subscriptions WHERE id = $1 FOR UPDATE", connection, transaction))
        {
            read.Parameters.Add(new NpgsqlParameter { Value = id });
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            patterns = reader.GetFieldValue<string[]>(0);
            inbound = reader.GetBoolean(1);
        }

        // What it gave up on (dead deliveries, including those stopped by a disable), then what it never got.
        var again = await Execute(connection, transaction, """
            UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = $3, completed_at = NULL, claimed_by = NULL, claimed_until = NULL
            WHERE subscription_id = $1 AND status = 'dead' AND (created_at >= $2 OR completed_at >= $2)
            """, cancellationToken, id, since, now);
        var missed = await Execute(connection, transaction, """
            INSERT INTO deliveries (id, event_id, subscription_id, event_type, status, next_attempt_at, created_at)
            SELECT gen_random_uuid(), e.id, $1, e.type, 'pending', $3, $3
            FROM outbound_events e
            WHERE e.created_at >= $2 AND e.type LIKE ANY ($4) AND (e.origin <> 'inbound' OR $5)
            ON CONFLICT (event_id, subscription_id) DO NOTHING
            """, cancellationToken, id, since, now, patterns.Select(EventPatterns.ToLike).ToArray(), inbound);
        await transaction.CommitAsync(cancellationToken);
        signal.Notify();
        return again + missed;
    }

    /// <summary>A subscription changed through this instance: its next inbound event re-reads the patterns.</summary>
    private void ForgetInboundPatterns() => Interlocked.Increment(ref subscriptionChanges);

    /// <summary>
    /// The patterns of the active subscriptions that opted in to inbound events, re-read at most every 2 s, and at
    /// once after a change through this instance (other instances see it within the 2 s). A read that a change
    /// overtook is used once but not kept.
    /// </summary>
    private async Task<string[][]> InboundPatternsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var changes = Interlocked.Read(ref subscriptionChanges);
        if (Volatile.Read(ref inboundWanted) is { } cached && now < cached.Until && cached.Changes == changes)
        {
            return cached.Patterns;
        }

        await using var command = dataSource.CreateCommand("SELECT events FROM subscriptions WHERE is_active AND include_inbound");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var patterns = new List<string[]>();
        while (await reader.ReadAsync(cancellationToken))
        {
            patterns.Add(reader.GetFieldValue<string[]>(0));
        }

        var read = new InboundPatterns(now.AddSeconds(2), [.. patterns], changes);
        Volatile.Write(ref inboundWanted, read);
        return read.Patterns;
    }

    /// <summary>
    /// What sending to each of these subscriptions needs — URL, headers, timeout, scheme and the active secrets,
    /// decrypted — with its state and retry count, in two queries whatever their number. Deleted ones are absent.
    /// </summary>
    public async Task<Dictionary<Guid, (Endpoint Endpoint, bool Active, int RetryCount)>> EndpointsAsync(
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
            while (await reader.ReadAsync(cancellationToken))
            {
                try
                {
                    (secrets.TryGetValue(reader.GetGuid(0), out var list) ? list : secrets[reader.GetGuid(0)] = []).Add(protector.Unprotect(reader.GetString(1)));
                }
                catch (CryptographicException)
                {
                    // Its key is gone from the ring; the remaining secrets still sign.
                }
            }
        }

        var endpoints = new Dictionary<Guid, (Endpoint, bool, int)>();
        await using (var command = new NpgsqlCommand(
            "SELECT id, url, headers::text, timeout_seconds, signature_scheme, is_active, retry_count FROM subscriptions WHERE id = ANY ($1)", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = ids });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetGuid(0);
                var endpoint = new Endpoint(id, reader.GetString(1), UnprotectHeaders(reader.GetString(2)),
                    reader.GetInt32(3), reader.GetString(4), secrets.GetValueOrDefault(id) ?? []);
                endpoints[id] = (endpoint, reader.GetBoolean(5), reader.GetInt32(6));
            }
        }

        return endpoints;
    }

    /// <summary>One line of a subscription's log: an attempt of a delivery, or (without one) a test send.</summary>
    public static Task LogAttemptAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid subscriptionId, Guid? deliveryId, string eventType, int attempt,
        AttemptOutcome outcome, string? error, DateTimeOffset now, CancellationToken cancellationToken) =>
        Execute(connection, transaction, """
            INSERT INTO delivery_attempts (id, subscription_id, delivery_id, event, attempt, status_code, response_time_ms, response_body, error, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """, cancellationToken, Guid.CreateVersion7(now), subscriptionId, Typed(deliveryId, NpgsqlDbType.Uuid), eventType, attempt,
            Typed(outcome.StatusCode, NpgsqlDbType.Integer), outcome.ResponseTimeMs, Typed(outcome.ResponseBody, NpgsqlDbType.Text),
            Typed(error, NpgsqlDbType.Text), now);

    private async Task InsertSecret(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid subscription, string secret, DateTimeOffset now, CancellationToken cancellationToken) =>
        await Execute(connection, transaction,
            "INSERT INTO subscription_secrets (id, subscription_id, protected, hint, created_at) VALUES ($1, $2, $3, $4, $5)",
            cancellationToken, Guid.CreateVersion7(now), subscription, protector.Protect(secret), PostgresSourceStore.Hint(secret), now);

    /// <summary>
    /// Custom headers are where receivers' credentials go: stored encrypted (a JSON string of the protected header
    /// map), like the secrets. The key ring lives in the same database (ADR 0006): protect dumps and backups, or
    /// protect the ring with a key kept elsewhere.
    /// </summary>
    private string ProtectHeaders(IReadOnlyDictionary<string, string>? headers) =>
        JsonSerializer.Serialize(protector.Protect(JsonSerializer.Serialize(headers ?? new Dictionary<string, string>())));

    /// <summary>Reads what <see cref="ProtectHeaders"/> wrote, and the plain JSON objects stored before it.</summary>
    private Dictionary<string, string> UnprotectHeaders(string stored)
    {
        using var document = JsonDocument.Parse(stored);
        try
        {
            var json = document.RootElement.ValueKind == JsonValueKind.String ? protector.Unprotect(document.RootElement.GetString()!) : stored;
            return JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
        }
        catch (CryptographicException)
        {
            // Its key is gone from the ring: the delivery goes without them (and fails visibly at the receiver),
            // rather than stopping every delivery.
            return [];
        }
    }

    private async Task<List<SubscriptionView>> Read(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] values)
    {
        var views = new List<SubscriptionView>();
        await using (var command = new NpgsqlCommand(sql, connection))
        {
            foreach (var value in values)
            {
                command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value });
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                views.Add(new SubscriptionView(
                    reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<string[]>(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.GetBoolean(4), UnprotectHeaders(reader.GetString(5)),
                    reader.GetInt32(6), reader.GetInt32(7), reader.GetString(8), reader.GetBoolean(9), reader.GetInt64(10), reader.GetInt64(11),
                    reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12), reader.IsDBNull(13) ? null : reader.GetString(13),
                    reader.IsDBNull(14) ? null : reader.GetFieldValue<DateTimeOffset>(14), reader.IsDBNull(15) ? null : reader.GetString(15),
                    [], reader.GetFieldValue<DateTimeOffset>(16), reader.GetFieldValue<DateTimeOffset>(17)));
            }
        }

        if (views.Count == 0)
        {
            return views;
        }

        var hints = new Dictionary<Guid, List<SecretHint>>();
        await using (var command = new NpgsqlCommand(
            "SELECT subscription_id, id, hint, created_at, expires_at FROM subscription_secrets WHERE subscription_id = ANY($1) ORDER BY created_at, id", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = views.Select(v => v.Id).ToArray() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var list = hints.TryGetValue(reader.GetGuid(0), out var found) ? found : hints[reader.GetGuid(0)] = [];
                list.Add(new SecretHint(reader.GetGuid(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4)));
            }
        }

        return views.Select(v => v with { Secrets = hints.GetValueOrDefault(v.Id) ?? [] }).ToList();
    }

    internal static NpgsqlParameter Typed(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };

    internal static async Task<int> Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>Wakes this instance's delivery workers when deliveries were queued here.</summary>
internal sealed class DeliverySignal : Relay.WakeSignal;

/// <summary>The inbound opt-in patterns as read, until when they may be reused, and the change count they reflect.</summary>
internal sealed record InboundPatterns(DateTimeOffset Until, string[][] Patterns, long Changes);
