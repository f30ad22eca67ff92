using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Ingestion;
using Webhooks.Application.Providers;
using Webhooks.Contracts;
using Webhooks.Domain.Delivery;
using Webhooks.Domain.Events;
using Webhooks.Domain.Outbox;
using Webhooks.Infrastructure.Relay;

namespace Webhooks.Infrastructure.Delivery;

/// <summary>
/// Delivers pending deliveries: claims due ones with SKIP LOCKED and a lease (so several instances share the work),
/// at most <see cref="DeliveryOptions.MaxConcurrencyPerEndpoint"/> per subscription and
/// <see cref="DeliveryOptions.MaxInFlight"/> in all, each request on its own task — a slow or dead endpoint holds
/// only its own slots, never the others'. Each attempt is logged and decides the delivery's fate: succeeded, retried
/// on the schedule (Retry-After honoured), dead after the last attempt, or the subscription disabled (410, or
/// failing too long) with the operational event evt.gateway.subscription.disabled written to the outbox.
/// </summary>
internal sealed partial class DeliveryWorker(
    NpgsqlDataSource dataSource,
    PostgresDeliveryStore store,
    DeliverySender sender,
    DeliverySignal signal,
    IOutboxNotifier outbox,
    Observability.WebhooksMetrics metrics,
    IOptions<DeliveryOptions> options,
    TimeProvider clock,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    public const string DisabledEventType = RoutingKeys.GatewaySubscriptionDisabled;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(6);
    private readonly string owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly ConcurrentDictionary<Guid, int> perEndpoint = new();
    private readonly DeliveryPolicy policy = new(options.Value.RetrySchedule.Count > 0 ? options.Value.RetrySchedule : DeliveryPolicy.StandardSchedule);
    private int inFlight;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        var settings = options.Value;
        var running = new ConcurrentDictionary<Task, byte>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var capacity = settings.MaxInFlight - Volatile.Read(ref inFlight);
                var busy = perEndpoint.Where(p => p.Value >= settings.MaxConcurrencyPerEndpoint).Select(p => p.Key).ToArray();
                var claimed = capacity <= 0 ? [] : await ClaimAsync(capacity, settings.MaxConcurrencyPerEndpoint, busy, stoppingToken);
                if (claimed.Count == 0)
                {
                    await signal.WaitAsync(settings.IdlePoll, stoppingToken);
                    continue;
                }

                foreach (var work in claimed)
                {
                    Interlocked.Increment(ref inFlight);
                    perEndpoint.AddOrUpdate(work.Endpoint.Id, 1, (_, n) => n + 1);
                    var task = Task.Run(() => DeliverAsync(work, stoppingToken), CancellationToken.None);
                    running[task] = 0;
                    _ = task.ContinueWith(t =>
                    {
                        running.TryRemove(t, out _);
                        perEndpoint.AddOrUpdate(work.Endpoint.Id, 0, (_, n) => n - 1);
                        Interlocked.Decrement(ref inFlight);
                        signal.Notify();
                    }, TaskScheduler.Default);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                LogLoopFailed(logger, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        await Task.WhenAll(running.Keys).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task DeliverAsync(Work work, CancellationToken stoppingToken)
    {
        try
        {
            var attempt = work.Attempts + 1;
            var outcome = await sender.SendAsync(work.Endpoint, MessageId(work.DeliveryId), work.EventType, attempt, work.Data, bypassBreaker: false, stoppingToken);
            if (!outcome.CircuitOpen)
            {
                var succeeded = outcome.StatusCode is { } status && DeliveryPolicy.Classify(status) == AttemptVerdict.Succeeded;
                metrics.Deliveries.Add(1, new KeyValuePair<string, object?>("outcome", succeeded ? "succeeded" : "failed"));
            }

            await RecordAsync(work, attempt, outcome, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the claim lapses and another worker (or the next start) sends it.
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            LogRecordFailed(logger, work.DeliveryId, ex.Message);
        }
    }

    /// <summary>The message id of a delivery: its webhook-id header and envelope id, the same on every attempt.</summary>
    public static string MessageId(Guid deliveryId) => "msg_" + deliveryId.ToString("N");

    private async Task<List<Work>> ClaimAsync(int limit, int perSubscription, Guid[] busy, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var claimed = new List<(Guid Id, string EventId, Guid Subscription, string Type, int Attempts)>();
        await using (var command = new NpgsqlCommand("""
            WITH inflight AS (
                -- Deliveries being sent now, by any instance: they count against each endpoint's concurrency cap.
                SELECT subscription_id, count(*) AS c FROM deliveries
                WHERE status = 'pending' AND claimed_until >= $1
                GROUP BY subscription_id),
            ranked AS (
                SELECT id, row_number() OVER (PARTITION BY subscription_id ORDER BY next_attempt_at) AS n
                FROM (SELECT id, subscription_id, next_attempt_at FROM deliveries
                      WHERE status = 'pending' AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until < $1)
                        AND NOT (subscription_id = ANY ($2))
                      ORDER BY next_attempt_at LIMIT 5000) due),
            picked AS (
                SELECT d.id FROM deliveries d JOIN ranked r ON r.id = d.id
                LEFT JOIN inflight f ON f.subscription_id = d.subscription_id
                WHERE r.n + coalesce(f.c, 0) <= $3
                  -- Re-checked on the locked row: one another instance claimed or finished after this statement's
                  -- snapshot is skipped here, not sent twice.
                  AND d.status = 'pending' AND d.next_attempt_at <= $1 AND (d.claimed_until IS NULL OR d.claimed_until < $1)
                ORDER BY d.next_attempt_at LIMIT $4
                FOR UPDATE OF d SKIP LOCKED)
            UPDATE deliveries d SET claimed_by = $5, claimed_until = $6 FROM picked WHERE d.id = picked.id
            RETURNING d.id, d.event_id, d.subscription_id, d.event_type, d.attempts
            """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = now });
            command.Parameters.Add(new NpgsqlParameter { Value = busy });
            command.Parameters.Add(new NpgsqlParameter { Value = perSubscription });
            command.Parameters.Add(new NpgsqlParameter { Value = limit });
            command.Parameters.Add(new NpgsqlParameter { Value = owner });
            command.Parameters.Add(new NpgsqlParameter { Value = now + Lease });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add((reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2), reader.GetString(3), reader.GetInt32(4)));
            }
        }

        if (claimed.Count == 0)
        {
            return [];
        }

        var data = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("SELECT id, data::text FROM outbound_events WHERE id = ANY ($1)", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = claimed.Select(c => c.EventId).Distinct().ToArray() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                data[reader.GetString(0)] = JsonDocument.Parse(reader.GetString(1)).RootElement;
            }
        }

        var endpoints = await store.EndpointsAsync(connection, claimed.Select(c => c.Subscription).Distinct().ToArray(), now, cancellationToken);

        var work = new List<Work>();
        var stopped = new List<Guid>();
        foreach (var c in claimed)
        {
            if (!endpoints.TryGetValue(c.Subscription, out var endpoint) || !data.TryGetValue(c.EventId, out var payload))
            {
                continue;
            }

            if (!endpoint.Active)
            {
                stopped.Add(c.Id);
                continue;
            }

            work.Add(new Work(c.Id, c.Type, c.Attempts, payload, endpoint.Endpoint, endpoint.RetryCount));
        }

        if (stopped.Count > 0)
        {
            // Disabled meanwhile: park them as dead ("subscription disabled"); re-enabling replays them.
            await PostgresDeliveryStore.Execute(connection, null, """
                UPDATE deliveries SET status = 'dead', last_error = 'subscription disabled', completed_at = $2, claimed_by = NULL, claimed_until = NULL
                WHERE id = ANY ($1)
                """, cancellationToken, stopped.ToArray(), now);
        }

        return work;
    }

    private async Task RecordAsync(Work work, int attempt, AttemptOutcome outcome, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (outcome.CircuitOpen)
        {
            // Not an attempt: the endpoint's circuit is open. Try again when it half-opens.
            await PostgresDeliveryStore.Execute(connection, null,
                "UPDATE deliveries SET next_attempt_at = $2, claimed_by = NULL, claimed_until = NULL WHERE id = $1",
                cancellationToken, work.DeliveryId, now + (outcome.RetryAfter ?? TimeSpan.FromSeconds(5)));
            return;
        }

        var verdict = outcome.Error is not null && outcome.StatusCode is null ? AttemptVerdict.Retry : DeliveryPolicy.Classify(outcome.StatusCode);
        var next = verdict == AttemptVerdict.Retry ? policy.NextAttempt(attempt, work.RetryCount, now, outcome.RetryAfter, Random.Shared.NextDouble()) : null;
        var status = verdict switch
        {
            AttemptVerdict.Succeeded => "succeeded",
            AttemptVerdict.Retry when next is not null => "pending",
            _ => "dead",
        };
        var error = outcome.Error ?? (verdict == AttemptVerdict.Succeeded ? null : $"HTTP {outcome.StatusCode}");

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresDeliveryStore.LogAttemptAsync(connection, transaction, work.Endpoint.Id, work.DeliveryId, work.EventType, attempt, outcome, error, now, cancellationToken);
        await PostgresDeliveryStore.Execute(connection, transaction, """
            UPDATE deliveries SET status = $2, attempts = $3, next_attempt_at = COALESCE($4, next_attempt_at), last_status = $5, last_error = $6,
                completed_at = CASE WHEN $2 = 'pending' THEN NULL ELSE $7 END, claimed_by = NULL, claimed_until = NULL
            WHERE id = $1
            """, cancellationToken, work.DeliveryId, status, attempt, PostgresDeliveryStore.Typed(next, NpgsqlTypes.NpgsqlDbType.TimestampTz),
            PostgresDeliveryStore.Typed(outcome.StatusCode, NpgsqlTypes.NpgsqlDbType.Integer), PostgresDeliveryStore.Typed(error, NpgsqlTypes.NpgsqlDbType.Text), now);

        string? disable = null;
        if (verdict == AttemptVerdict.Succeeded)
        {
            await PostgresDeliveryStore.Execute(connection, transaction, """
                UPDATE subscriptions SET success_count = success_count + 1, consecutive_failures = 0, failing_since = NULL, last_triggered_at = $2
                WHERE id = $1
                """, cancellationToken, work.Endpoint.Id, now);
        }
        else
        {
            await using var update = new NpgsqlCommand("""
                UPDATE subscriptions SET failure_count = failure_count + 1, consecutive_failures = consecutive_failures + 1,
                    failing_since = COALESCE(failing_since, $2), last_triggered_at = $2, last_error = $3
                WHERE id = $1
                RETURNING consecutive_failures, failing_since, is_active
                """, connection, transaction);
            update.Parameters.Add(new NpgsqlParameter { Value = work.Endpoint.Id });
            update.Parameters.Add(new NpgsqlParameter { Value = now });
            update.Parameters.Add(new NpgsqlParameter { Value = error! });
            await using (var reader = await update.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken) && reader.GetBoolean(2))
                {
                    var streak = reader.GetInt32(0);
                    var since = reader.GetFieldValue<DateTimeOffset>(1);
                    disable = verdict == AttemptVerdict.Gone ? "the endpoint answered 410 Gone"
                        : streak >= options.Value.DisableAfterFailures ? $"{streak} attempts in a row failed"
                        : now - since >= options.Value.DisableAfter ? $"failing since {since:u}"
                        : null;
                }
            }

            if (disable is not null)
            {
                await DisableAsync(connection, transaction, work.Endpoint, disable, now, cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        if (disable is not null)
        {
            sender.Reset(work.Endpoint.Id);
            outbox.Notify();
            LogDisabled(logger, work.Endpoint.Id, disable);
        }
    }

    /// <summary>Disables the subscription and writes the operational event to the outbox, in the caller's transaction.</summary>
    private static async Task DisableAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Endpoint endpoint, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await PostgresDeliveryStore.Execute(connection, transaction,
            "UPDATE subscriptions SET is_active = false, disabled_at = $2, disabled_reason = $3, updated_at = $2 WHERE id = $1",
            cancellationToken, endpoint.Id, now, reason);
        var eventId = Guid.CreateVersion7(now);
        var data = ContractEvents.Data(new SubscriptionDisabled { SubscriptionId = endpoint.Id.ToString(), Url = endpoint.Url, Reason = reason, DisabledAt = now });
        var envelope = CloudEventEnvelope.Write(eventId, endpoint.Id.ToString(), "webhooks", null, new MappedEvent(DisabledEventType, endpoint.Id.ToString(), data),
            now, null, null, null, sourcePrefix: "/subscriptions/");
        var disabled = OutboxMessage.Create(eventId, null, "subscriptions", DisabledEventType, endpoint.Id.ToString(), null, envelope, now);
        await using var insert = new NpgsqlCommand(PendingOutboxRows.InsertSql(first: 1), connection, transaction);
        PendingOutboxRows.AddArrays(insert.Parameters, [disabled]);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed record Work(Guid DeliveryId, string EventType, int Attempts, JsonElement Data, Endpoint Endpoint, int RetryCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery loop failed ({Reason}); retrying")]
    private static partial void LogLoopFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record delivery {DeliveryId} ({Reason}); its claim will lapse and it will be sent again")]
    private static partial void LogRecordFailed(ILogger logger, Guid deliveryId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {SubscriptionId} disabled: {Reason}")]
    private static partial void LogDisabled(ILogger logger, Guid subscriptionId, string reason);
}
