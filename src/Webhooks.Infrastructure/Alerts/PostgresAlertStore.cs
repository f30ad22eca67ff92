using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Application.Admin.Alerts;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Ingestion;
using Webhooks.Application.Providers;
using Webhooks.Contracts;
using Webhooks.Domain.Alerts;
using Webhooks.Domain.Events;
using Webhooks.Infrastructure.Delivery;
using Webhooks.Infrastructure.Observability;
using Webhooks.Infrastructure.Persistence;
using Webhooks.Infrastructure.Relay;

namespace Webhooks.Infrastructure.Alerts;

/// <summary>
/// Alerts in PostgreSQL (EF Core), their rules in the Domain. An evaluation runs in one transaction under an advisory
/// lock, so with several instances each transition is decided, stored and published once: the CloudEvent goes to the
/// outbox and the outbound deliveries are written in that same transaction (never to the subscription the alert is
/// about).
/// </summary>
internal sealed partial class PostgresAlertStore(
    WebhooksDbContext db, IngestMinutes minutes, ISourceCatalog sources, IOptions<AlertOptions> options, OutboxSignal relay, DeliverySignal delivery,
    TimeProvider clock, ILogger<PostgresAlertStore> logger) : IAlertStore
{
    private const long EvaluationLock = 0x5745_4248_414c_5254; // "WEBHALRT"

    public async Task<IReadOnlyList<Alert>> ListAsync(AlertStatus? status, string? kind, string? subject, Guid? before, int limit, CancellationToken cancellationToken)
    {
        var rows = db.Alerts.AsNoTracking();
        if (status is { } wanted)
        {
            rows = rows.Where(a => a.Status == wanted);
        }

        if (kind is not null)
        {
            rows = rows.Where(a => a.Kind == kind);
        }

        if (subject is not null)
        {
            rows = rows.Where(a => a.Subject == subject);
        }

        if (before is { } cursor)
        {
            rows = rows.Where(a => a.Id.CompareTo(cursor) < 0);
        }

        return await rows.OrderByDescending(a => a.Id).Take(limit).ToListAsync(cancellationToken);
    }

    public Task<Alert?> ChangeAsync(Guid id, Func<Alert, bool> change, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var alert = await db.Alerts.FromSql($"SELECT * FROM alerts WHERE id = {id} FOR UPDATE").FirstOrDefaultAsync(cancellationToken);
            if (alert is null)
            {
                return null;
            }

            var publish = change(alert);
            await db.SaveChangesAsync(cancellationToken);
            if (publish)
            {
                await PublishAsync(connection, transaction, alert, cancellationToken);
            }

            return alert;
        }, cancellationToken);

    public async Task<int> EvaluateAsync(CancellationToken cancellationToken)
    {
        await minutes.FlushAsync(cancellationToken);
        var settings = options.Value;
        var published = await InTransactionAsync(async (connection, transaction) =>
        {
            await Scalar<object>(connection, transaction, $"SELECT pg_advisory_xact_lock({EvaluationLock})", cancellationToken);
            var now = clock.GetUtcNow();
            var readings = await ReadAsync(connection, transaction, now, settings, cancellationToken);
            readings.AddRange(await ReadSilenceAsync(connection, transaction, now, cancellationToken));
            var active = await db.Alerts.FromSql($"SELECT * FROM alerts WHERE status <> 'resolved' FOR UPDATE").ToListAsync(cancellationToken);

            var changed = new List<Alert>();
            foreach (var alert in active)
            {
                var reading = readings.FirstOrDefault(r => r.Kind == alert.Kind && r.Subject == alert.Subject)
                    ?? new AlertReading(alert.Kind, alert.Subject, 0, null, alert.Threshold, alert.WindowSeconds); // nothing measured: clear
                if (alert.Observe(reading, now, settings.ClearFor) != AlertChange.None)
                {
                    changed.Add(alert);
                }
            }

            foreach (var reading in readings.Where(r => r.Severity is not null && !active.Any(a => a.Kind == r.Kind && a.Subject == r.Subject)))
            {
                var opened = Alert.Open(reading, now);
                db.Alerts.Add(opened);
                changed.Add(opened);
            }

            await db.SaveChangesAsync(cancellationToken);
            await SummariseRejectionsAsync(connection, transaction, now, settings, cancellationToken);
            foreach (var alert in changed)
            {
                await PublishAsync(connection, transaction, alert, cancellationToken);
                LogTransition(logger, alert.Kind, alert.Subject, alert.Status.ToString().ToLowerInvariant(), alert.Severity.ToString().ToLowerInvariant(), alert.Value);
            }

            return changed.Count;
        }, cancellationToken);
        return published;
    }

    /// <summary>Every condition the rules judge, measured now over the window.</summary>
    private static async Task<List<AlertReading>> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset now, AlertOptions settings, CancellationToken cancellationToken)
    {
        var thresholds = settings.Thresholds;
        var window = (int)settings.Window.TotalSeconds;
        var since = now - settings.Window;
        var readings = new List<AlertReading>();

        await using (var command = new NpgsqlCommand("""
            SELECT source AS source, coalesce(sum(count) FILTER (WHERE outcome = ANY($2)), 0)::bigint AS rejected, sum(count)::bigint AS total
            FROM ingest_minutes WHERE minute >= date_trunc('minute', $1::timestamptz) AND source <> 'unknown'
            GROUP BY source
            """, connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = since });
            command.Parameters.Add(new NpgsqlParameter { Value = IngestMinutes.RejectedOutcomes });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            int source = reader.GetOrdinal("source"), rejected = reader.GetOrdinal("rejected"), total = reader.GetOrdinal("total");
            while (await reader.ReadAsync(cancellationToken))
            {
                readings.Add(AlertRules.Rejections(reader.GetString(source), reader.GetInt64(rejected), reader.GetInt64(total), window, thresholds));
            }
        }

        var oldest = await Scalar<DateTime?>(connection, transaction, "SELECT min(created_at) FROM outbox_messages WHERE status = 'pending'", cancellationToken);
        readings.Add(AlertRules.Delay(oldest is { } at ? Math.Max(0, (now - new DateTimeOffset(at, TimeSpan.Zero)).TotalSeconds) : 0, thresholds));

        var slowest = await Scalar<double?>(connection, transaction,
            "SELECT max(value) FROM gateway_minutes WHERE metric = $1 AND minute >= date_trunc('minute', $2::timestamptz)",
            cancellationToken, GatewayMinutes.PublishSecondsMax, since);
        readings.Add(AlertRules.Latency(slowest ?? 0, window, thresholds));

        // Of the last StalledMinutes finished minutes, how many in a row (back from the latest) some instance's relay
        // was paused, or without its broker, in: a minute with no figure at all (no instance up) breaks the run.
        foreach (var (metric, kind) in new[] { (GatewayMinutes.RelayPaused, AlertRules.RelayPaused), (GatewayMinutes.BrokerUnreachable, AlertRules.BrokerUnreachable) })
        {
            var minutesStalled = await Scalar<int>(connection, transaction, """
                SELECT coalesce(min(n) - 1, $3)::int FROM generate_series(1, $3) n
                WHERE NOT EXISTS (SELECT 1 FROM gateway_minutes m WHERE m.metric = $1 AND m.value >= 1
                                  AND m.minute = date_trunc('minute', $2::timestamptz) - n * interval '1 minute')
                """, cancellationToken, metric, now, settings.StalledMinutes);
            readings.Add(AlertRules.Stalled(kind, minutesStalled, thresholds));
        }

        var dead = await Scalar<long>(connection, transaction, "SELECT count(*) FROM dead_letters WHERE created_at >= $1", cancellationToken, since);
        readings.Add(AlertRules.NewDeadLetters(dead, window, thresholds));

        await using (var command = new NpgsqlCommand("""
            SELECT id AS id, consecutive_failures AS failures,
                   (NOT is_active AND disabled_at IS NOT NULL AND disabled_reason IS DISTINCT FROM 'disabled by an operator') AS disabled_by_gateway
            FROM subscriptions WHERE consecutive_failures > 0 OR (NOT is_active AND disabled_at IS NOT NULL)
            """, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            int idColumn = reader.GetOrdinal("id"), failures = reader.GetOrdinal("failures"), byGateway = reader.GetOrdinal("disabled_by_gateway");
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetGuid(idColumn);
                var disabled = reader.GetBoolean(byGateway);
                readings.Add(AlertRules.Subscription(id, reader.GetInt32(failures), disabled, thresholds));
                if (disabled)
                {
                    // Disabled, it no longer fails in a row: the "failing" alert clears as the "disabled" one opens.
                    readings.Add(AlertRules.Subscription(id, 0, disabledByGateway: false, thresholds));
                }
            }
        }

        return readings;
    }

    /// <summary>
    /// Each enabled source with an ExpectedEvery: how long since it last accepted a delivery — the latest of its inbox
    /// rows and of the per-minute counts (kept two days, so a short inbox retention does not make a source look
    /// silent) — or since it was created.
    /// </summary>
    private async Task<List<AlertReading>> ReadSilenceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var expected = sources.All.Where(s => s.Enabled && s.ExpectedEvery is not null).ToDictionary(s => s.Name, s => s.ExpectedEvery!.Value, StringComparer.Ordinal);
        var readings = new List<AlertReading>();
        if (expected.Count == 0)
        {
            return readings;
        }

        await using var command = new NpgsqlCommand("""
            SELECT s.name AS name,
                   greatest(s.created_at,
                            (SELECT max(i.received_at) FROM inbox_messages i WHERE i.source = s.name),
                            (SELECT max(m.minute) FROM ingest_minutes m WHERE m.source = s.name AND m.outcome IN ('accepted', 'duplicate'))) AS last_seen
            FROM sources s WHERE s.name = ANY($1)
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = expected.Keys.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        int name = reader.GetOrdinal("name"), lastSeen = reader.GetOrdinal("last_seen");
        while (await reader.ReadAsync(cancellationToken))
        {
            var source = reader.GetString(name);
            var silentFor = now - new DateTimeOffset(reader.GetDateTime(lastSeen), TimeSpan.Zero);
            readings.Add(AlertRules.Silence(source, silentFor, expected[source]));
        }

        return readings;
    }

    /// <summary>
    /// One evt.gateway.rejected per source and finished minute of the window that had rejections and was not
    /// summarised yet (rejection_reports makes it once, across instances and evaluations).
    /// </summary>
    private async Task SummariseRejectionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset now, AlertOptions settings, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<(DateTime Minute, string Source), Dictionary<string, long>>();
        await using (var command = new NpgsqlCommand("""
            SELECT m.minute AS minute, m.source AS source, m.outcome AS outcome, m.count AS count FROM ingest_minutes m
            WHERE m.minute >= date_trunc('minute', $1::timestamptz) AND m.minute < date_trunc('minute', $2::timestamptz)
              AND m.outcome = ANY($3) AND m.count > 0
              AND NOT EXISTS (SELECT 1 FROM rejection_reports r WHERE r.minute = m.minute AND r.source = m.source)
            ORDER BY m.minute, m.source
            """, connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = now - settings.Window });
            command.Parameters.Add(new NpgsqlParameter { Value = now });
            command.Parameters.Add(new NpgsqlParameter { Value = IngestMinutes.RejectedOutcomes });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            int minuteColumn = reader.GetOrdinal("minute"), sourceColumn = reader.GetOrdinal("source"), outcome = reader.GetOrdinal("outcome"), count = reader.GetOrdinal("count");
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = (reader.GetDateTime(minuteColumn), reader.GetString(sourceColumn));
                var byReason = counts.TryGetValue(key, out var found) ? found : counts[key] = new Dictionary<string, long>(StringComparer.Ordinal);
                byReason[reader.GetString(outcome)] = reader.GetInt64(count);
            }
        }

        foreach (var ((minute, source), byReason) in counts)
        {
            var addresses = new List<string>();
            await using (var command = new NpgsqlCommand(
                "SELECT address FROM rejection_samples WHERE minute = $1 AND source = $2 ORDER BY address LIMIT 5", connection, transaction))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = minute });
                command.Parameters.Add(new NpgsqlParameter { Value = source });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    addresses.Add(reader.GetString(reader.GetOrdinal("address")));
                }
            }

            await PostgresDeliveryStore.Execute(connection, transaction, "INSERT INTO rejection_reports (minute, source) VALUES ($1, $2)", cancellationToken, minute, source);
            var summary = new RejectionSummary
            {
                Source = source,
                Minute = new DateTimeOffset(minute, TimeSpan.Zero),
                Rejected = byReason.Values.Sum(),
                ByReason = byReason,
                SampleAddresses = addresses,
            };
            await PublishAsync(connection, transaction, RoutingKeys.GatewayRejected, source, "/gateway/rejections/", source, ContractEvents.Data(summary), exclude: null, cancellationToken);
        }
    }

    /// <summary>The transition as a CloudEvent in the outbox, and as outbound deliveries to the subscriptions that want it.</summary>
    private async Task PublishAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Alert alert, CancellationToken cancellationToken)
    {
        var type = alert.Status == AlertStatus.Resolved ? RoutingKeys.GatewayAlertResolved : RoutingKeys.GatewayAlertOpened;
        var aboutSubscription = alert.Kind.StartsWith("subscription", StringComparison.Ordinal);
        var record = new AlertTransition
        {
            AlertId = alert.Id.ToString(),
            Kind = alert.Kind,
            Severity = alert.Severity.ToString().ToLowerInvariant(),
            Source = aboutSubscription || alert.Subject == AlertRules.Gateway ? null : alert.Subject,
            SubscriptionId = aboutSubscription ? alert.Subject : null,
            Value = alert.Value,
            Threshold = alert.Threshold,
            WindowSeconds = alert.WindowSeconds,
            OpenedAt = alert.OpenedAt,
            ResolvedAt = alert.ResolvedAt,
            DashboardUrl = options.Value.DashboardUrl,
        };
        await PublishAsync(connection, transaction, type, alert.Id.ToString(), "/alerts/", alert.Subject, ContractEvents.Data(record),
            exclude: aboutSubscription && Guid.TryParse(alert.Subject, out var subscription) ? subscription : null, cancellationToken);
    }

    /// <summary>A gateway event: its CloudEvent in the outbox and its outbound deliveries, in the caller's transaction.</summary>
    private async Task PublishAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string type, string sourceName, string sourcePrefix, string subject,
        System.Text.Json.Nodes.JsonObject data, Guid? exclude, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var eventId = Guid.CreateVersion7(now);
        var envelope = CloudEventEnvelope.Write(eventId, sourceName, "webhooks", null, new MappedEvent(type, subject, data), now, null, null, null, sourcePrefix: sourcePrefix);
        await PostgresDeliveryStore.Execute(connection, transaction, """
            INSERT INTO outbox_messages (id, inbox_id, source, event_type, subject, correlation_id, envelope, status, attempts, next_attempt_at, created_at)
            VALUES ($1, NULL, 'gateway', $2, $3, NULL, $4, 'pending', 0, $5, $5)
            """, cancellationToken, eventId, type, subject, envelope, now);
        await PostgresDeliveryStore.FanOutAsync(connection, transaction, new Application.Delivery.OutboundEvent(eventId.ToString(), type, JsonSerializer.SerializeToElement(data), "gateway", exclude),
            inboundOnly: false, now, cancellationToken);
    }

    private async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        var result = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var value = await work((NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction());
            await transaction.CommitAsync(cancellationToken);
            return value;
        });
        relay.Notify();
        delivery.Notify();
        return result;
    }

    private static async Task<T> Scalar<T>(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        var result = await command.ExecuteScalarAsync(cancellationToken);
        return result is null or DBNull ? default! : (T)result;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {Kind} for {Subject}: {Status}, {Severity} (value {Value})")]
    private static partial void LogTransition(ILogger logger, string kind, string subject, string status, string severity, double value);
}

/// <summary>The evaluator, as a Hangfire recurring job: once a minute, once across instances.</summary>
internal sealed class AlertEvaluationJob(IAlertStore alerts)
{
    public const string Id = "alerts";

    [Hangfire.DisableConcurrentExecution(timeoutInSeconds: 120)]
    public Task RunAsync(CancellationToken cancellationToken) => alerts.EvaluateAsync(cancellationToken);
}
