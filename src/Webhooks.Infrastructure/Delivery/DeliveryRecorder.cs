using System.Threading.Channels;
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
using Webhooks.Infrastructure.Persistence;
using Webhooks.Infrastructure.Relay;

namespace Webhooks.Infrastructure.Delivery;

/// <summary>
/// A finished attempt and what it decided for its delivery; <see cref="Attempted"/> is false when the endpoint's
/// circuit was open, which is no attempt: the delivery only waits until <see cref="NextAttemptAt"/>.
/// </summary>
internal sealed record FinishedAttempt(
    ClaimedDelivery Delivery, bool Attempted, int Attempt, AttemptOutcome Outcome, AttemptVerdict Verdict, string Status, DateTimeOffset? NextAttemptAt, string? Error, DateTimeOffset At);

/// <summary>
/// Records finished attempts in batches (a measured hot path, hand-written SQL): whatever finished while the last batch
/// was being written goes in the next, in one transaction of two round trips — the deliveries' new states, their
/// attempt log lines and the subscriptions' counters, updated atomically in SQL with the arithmetic of
/// <see cref="AttemptTally"/> — and the automatic disabling decided by the same Domain rule the aggregate uses. Each
/// caller waits for its batch to commit, so a worker's slot is held until its result is durable; a batch that fails
/// leaves its deliveries claimed, and they are sent again once the lease lapses, as when the process dies.
/// </summary>
internal sealed partial class DeliveryRecorder(
    NpgsqlDataSource dataSource, DeliverySender sender, IOutboxNotifier outbox, IOptions<DeliveryOptions> options, TimeProvider clock, ILogger<DeliveryRecorder> logger)
{
    private const int MaxBatch = 500;
    private readonly Channel<(FinishedAttempt Result, TaskCompletionSource Done)> queue =
        Channel.CreateUnbounded<(FinishedAttempt, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });

    private AutoDisableRule Rule => new(options.Value.DisableAfterFailures, options.Value.DisableAfter);

    /// <summary>Queues the result for the next batch; completes when that batch has committed.</summary>
    public Task RecordAsync(FinishedAttempt result)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!queue.Writer.TryWrite((result, done)))
        {
            done.SetException(new InvalidOperationException("the delivery recorder has stopped"));
        }

        return done.Task;
    }

    /// <summary>Writes batches until <see cref="Complete"/> is called and the queue is empty.</summary>
    public async Task RunAsync()
    {
        var batch = new List<(FinishedAttempt Result, TaskCompletionSource Done)>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            await WriteOrSplitAsync(batch);
            batch.Clear();
        }
    }

    public void Complete() => queue.Writer.TryComplete();

    /// <summary>
    /// Writes the batch; if the database refuses it, each result is tried alone, so one it refuses cannot fail its
    /// neighbours (an unreachable database fails them all, and their claims lapse).
    /// </summary>
    private async Task WriteOrSplitAsync(List<(FinishedAttempt Result, TaskCompletionSource Done)> batch)
    {
        try
        {
            // Not cancelled at shutdown: these requests were sent, and recording them spares their receivers a repeat.
            await WriteAsync(batch.ConvertAll(b => b.Result), CancellationToken.None);
            batch.ForEach(b => b.Done.TrySetResult());
        }
        catch (Exception ex) when (batch.Count > 1 && ex is not NpgsqlException { IsTransient: true })
        {
            foreach (var single in batch)
            {
                await WriteOrSplitAsync([single]);
            }
        }
        catch (Exception ex)
        {
            // Whatever it was (an unreachable database, a value the driver cannot send), it fails these results only:
            // the recorder keeps running for the others, and these deliveries are sent again once their lease lapses.
            LogBatchFailed(logger, batch.Count, ex.Message);
            batch.ForEach(b => b.Done.TrySetException(ex));
        }
    }

    /// <summary>One line of a subscription's log for a test send (no delivery, no counters).</summary>
    public static async Task LogTestAsync(NpgsqlDataSource dataSource, Guid subscriptionId, string eventType, AttemptOutcome outcome, string? error, string payload, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO delivery_attempts (id, subscription_id, delivery_id, event, attempt, status_code, response_time_ms, response_body, error, created_at, payload)
            VALUES ($1, $2, NULL, $3, 1, $4, $5, $6, $7, $8, $9)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7(now) });
        command.Parameters.Add(new NpgsqlParameter { Value = subscriptionId });
        command.Parameters.Add(new NpgsqlParameter { Value = eventType });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)outcome.StatusCode ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = outcome.ResponseTimeMs });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)outcome.ResponseBody ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = payload });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task WriteAsync(List<FinishedAttempt> results, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var tallies = new Dictionary<Guid, AttemptTally>();
        foreach (var result in results.Where(r => r.Attempted))
        {
            var id = result.Delivery.Endpoint.Id;
            (tallies.TryGetValue(id, out var tally) ? tally : tallies[id] = new AttemptTally()).Add(result.Verdict, result.Error, result.At);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = new Dictionary<Guid, (int Streak, DateTimeOffset? FailingSince, bool Active)>();
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            // The subscriptions are locked first and in id order: batches of several workers never wait on each other
            // in a circle, and a concurrent delete (subscription, then its deliveries) finishes before or after this one.
            // A subscription row held elsewhere (an operator deleting it with its backlog) fails this batch within 2 s
            // with a PostgresException, so the batch is split and only that subscription's results wait.
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL lock_timeout = '2s'"));
            var locking = new NpgsqlBatchCommand(
                "SELECT id, consecutive_failures, failing_since, is_active FROM subscriptions WHERE id = ANY ($1) ORDER BY id FOR NO KEY UPDATE");
            locking.Parameters.Add(PostgresArrays.Of(tallies.Keys));
            batch.BatchCommands.Add(locking);
            batch.BatchCommands.Add(DeliveriesCommand(results, now));
            if (tallies.Count > 0)
            {
                batch.BatchCommands.Add(CountersCommand(tallies));
            }

            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            int id = reader.GetOrdinal("id"), streak = reader.GetOrdinal("consecutive_failures"), since = reader.GetOrdinal("failing_since"), active = reader.GetOrdinal("is_active");
            while (await reader.ReadAsync(cancellationToken))
            {
                before[reader.GetGuid(id)] = (reader.GetInt32(streak), reader.IsDBNull(since) ? null : reader.GetFieldValue<DateTimeOffset>(since), reader.GetBoolean(active));
            }

            while (await reader.NextResultAsync(cancellationToken))
            {
                // The updates answer no rows; reading on surfaces their errors here.
            }
        }

        var rule = Rule;
        var disabling = tallies
            .Where(t => before.TryGetValue(t.Key, out var b) && b.Active)
            .Select(t => (Id: t.Key, Reason: t.Value.Decide(rule, before[t.Key].Streak, before[t.Key].FailingSince, now)))
            .Where(d => d.Reason is not null)
            .Select(d => (d.Id, Reason: d.Reason!))
            .ToList();
        var disabled = disabling.Count == 0 ? [] : await DisableAsync(connection, transaction, disabling, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        foreach (var (subscription, reason) in disabled)
        {
            sender.Reset(subscription);
            LogDisabled(logger, subscription, reason);
        }

        if (disabled.Count > 0)
        {
            outbox.Notify();
        }
    }

    /// <summary>The deliveries' new states, and a log line for each real attempt of a delivery that still exists.</summary>
    private static NpgsqlBatchCommand DeliveriesCommand(List<FinishedAttempt> results, DateTimeOffset now)
    {
        var command = new NpgsqlBatchCommand($"""
            WITH u AS (
                SELECT * FROM unnest($1::uuid[], $2::text[], $3::integer[], $4::timestamptz[], $5::integer[], $6::text[], $7::boolean[], $9::text[])
                    AS u(id, status, attempts, next_attempt_at, last_status, last_error, attempted, owner)),
            updated AS (
                UPDATE deliveries d SET status = u.status, attempts = u.attempts, next_attempt_at = COALESCE(u.next_attempt_at, d.next_attempt_at),
                    last_status = CASE WHEN u.attempted THEN u.last_status ELSE d.last_status END,
                    last_error = CASE WHEN u.attempted THEN u.last_error ELSE d.last_error END,
                    completed_at = CASE WHEN u.status = '{DeliveryStatus.Pending}' THEN NULL ELSE $8 END, claimed_by = NULL, claimed_until = NULL
                -- Only while the delivery is still this claim's: once a lapsed lease let another instance take it, that
                -- instance's result is the one that stands (this attempt is not logged either).
                FROM u WHERE d.id = u.id AND d.status = '{DeliveryStatus.Pending}' AND d.claimed_by = u.owner
                RETURNING d.id)
            {InsertAttemptsSql(first: 10, deliveredOnly: "SELECT id FROM updated")}
            """);
        command.Parameters.Add(PostgresArrays.Of(results.Select(r => r.Delivery.DeliveryId)));
        command.Parameters.Add(PostgresArrays.Of(results.Select(r => (string?)r.Status)));
        command.Parameters.Add(PostgresArrays.Of(results.Select(r => r.Attempted ? r.Attempt : r.Delivery.Attempts)));
        command.Parameters.Add(PostgresArrays.Of(results.Select(r => r.NextAttemptAt)));
        command.Parameters.Add(PostgresArrays.Of(results.Select(r => r.Outcome.StatusCode)));
        command.Parameters.Add(PostgresArrays.Of(results.Select(r => r.Error)));
        command.Parameters.Add(PostgresArrays.Of(results.Select(r => r.Attempted)));
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(PostgresArrays.Of(results.Select(r => (string?)r.Delivery.Owner)));
        AddAttemptArrays(command.Parameters, results.Where(r => r.Attempted)
            .Select(r => (Guid.CreateVersion7(r.At), r.Delivery.Endpoint.Id, (Guid?)r.Delivery.DeliveryId, r.Delivery.EventType, r.Attempt, r.Outcome, r.Error, r.At))
            .ToList());
        return command;
    }

    /// <summary>
    /// The subscriptions' counters, each moved by its tally in one atomic update: the same arithmetic as
    /// <see cref="AttemptTally.StreakAfter"/> and <see cref="AttemptTally.FailingSinceAfter"/>.
    /// </summary>
    private static NpgsqlBatchCommand CountersCommand(Dictionary<Guid, AttemptTally> tallies)
    {
        var command = new NpgsqlBatchCommand("""
            UPDATE subscriptions s SET
                success_count = s.success_count + t.successes,
                failure_count = s.failure_count + t.failures,
                consecutive_failures = CASE WHEN t.successes > 0 THEN t.streak ELSE s.consecutive_failures + t.failures END,
                failing_since = CASE WHEN t.successes > 0 THEN t.streak_since ELSE COALESCE(s.failing_since, t.streak_since) END,
                last_triggered_at = t.last_at,
                last_error = COALESCE(t.last_error, s.last_error)
            FROM unnest($1::uuid[], $2::integer[], $3::integer[], $4::integer[], $5::timestamptz[], $6::timestamptz[], $7::text[])
                AS t(id, successes, failures, streak, streak_since, last_at, last_error)
            WHERE s.id = t.id
            """);
        command.Parameters.Add(PostgresArrays.Of(tallies.Keys));
        command.Parameters.Add(PostgresArrays.Of(tallies.Values.Select(t => t.Successes)));
        command.Parameters.Add(PostgresArrays.Of(tallies.Values.Select(t => t.Failures)));
        command.Parameters.Add(PostgresArrays.Of(tallies.Values.Select(t => t.Trailing)));
        command.Parameters.Add(PostgresArrays.Of(tallies.Values.Select(t => t.TrailingSince)));
        command.Parameters.Add(PostgresArrays.Of(tallies.Values.Select(t => t.LastAt)));
        command.Parameters.Add(PostgresArrays.Of(tallies.Values.Select(t => t.LastError)));
        return command;
    }

    /// <summary>
    /// Disables the subscriptions still active and writes evt.gateway.subscription.disabled for each to the outbox, in
    /// the caller's transaction; answers the ones this call disabled.
    /// </summary>
    private static async Task<List<(Guid Id, string Reason)>> DisableAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<(Guid Id, string Reason)> disabling, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var reasons = disabling.ToDictionary(d => d.Id, d => d.Reason);
        var disabled = new List<(Guid Id, string Url)>();
        await using (var update = new NpgsqlCommand("""
            UPDATE subscriptions s SET is_active = false, disabled_at = $3, disabled_reason = r.reason, updated_at = $3
            FROM unnest($1::uuid[], $2::text[]) AS r(id, reason)
            WHERE s.id = r.id AND s.is_active
            RETURNING s.id, s.url
            """, connection, transaction))
        {
            update.Parameters.Add(PostgresArrays.Of(disabling.Select(d => d.Id)));
            update.Parameters.Add(PostgresArrays.Of(disabling.Select(d => (string?)d.Reason)));
            update.Parameters.Add(new NpgsqlParameter { Value = now });
            await using var reader = await update.ExecuteReaderAsync(cancellationToken);
            int id = reader.GetOrdinal("id"), url = reader.GetOrdinal("url");
            while (await reader.ReadAsync(cancellationToken))
            {
                disabled.Add((reader.GetGuid(id), reader.GetString(url)));
            }
        }

        if (disabled.Count > 0)
        {
            var events = disabled.Select(d => DisabledEvent(d.Id, d.Url, reasons[d.Id], now)).ToList();
            await using var insert = new NpgsqlCommand(PendingOutboxRows.InsertSql(first: 1), connection, transaction);
            PendingOutboxRows.AddArrays(insert.Parameters, events);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        return disabled.ConvertAll(d => (d.Id, reasons[d.Id]));
    }

    private static OutboxMessage DisabledEvent(Guid subscription, string url, string reason, DateTimeOffset now)
    {
        var eventId = Guid.CreateVersion7(now);
        var id = subscription.ToString();
        var data = ContractEvents.Data(new SubscriptionDisabled { SubscriptionId = id, Url = url, Reason = reason, DisabledAt = now });
        var envelope = CloudEventEnvelope.Write(eventId, id, "webhooks", null, new MappedEvent(RoutingKeys.GatewaySubscriptionDisabled, id, data),
            now, null, null, null, sourcePrefix: "/subscriptions/");
        return OutboxMessage.Create(eventId, null, "subscriptions", RoutingKeys.GatewaySubscriptionDisabled, id, null, envelope, now);
    }

    /// <summary>The multi-row INSERT of log lines from ten arrays read from $<paramref name="first"/> on.</summary>
    private static string InsertAttemptsSql(int first, string deliveredOnly) => $"""
        INSERT INTO delivery_attempts (id, subscription_id, delivery_id, event, attempt, status_code, response_time_ms, response_body, error, created_at)
        SELECT a.id, a.subscription_id, a.delivery_id, a.event, a.attempt, a.status_code, a.response_time_ms, a.response_body, a.error, a.created_at
        FROM unnest(${first}::uuid[], ${first + 1}::uuid[], ${first + 2}::uuid[], ${first + 3}::text[], ${first + 4}::integer[], ${first + 5}::integer[],
                    ${first + 6}::integer[], ${first + 7}::text[], ${first + 8}::text[], ${first + 9}::timestamptz[])
            AS a(id, subscription_id, delivery_id, event, attempt, status_code, response_time_ms, response_body, error, created_at)
        WHERE a.delivery_id IN ({deliveredOnly})
        """;

    private static void AddAttemptArrays(
        NpgsqlParameterCollection parameters,
        IReadOnlyList<(Guid Id, Guid Subscription, Guid? Delivery, string Event, int Attempt, AttemptOutcome Outcome, string? Error, DateTimeOffset At)> lines)
    {
        parameters.Add(PostgresArrays.Of(lines.Select(l => l.Id)));
        parameters.Add(PostgresArrays.Of(lines.Select(l => l.Subscription)));
        parameters.Add(PostgresArrays.Of(lines.Select(l => l.Delivery)));
        parameters.Add(PostgresArrays.Of(lines.Select(l => (string?)l.Event)));
        parameters.Add(PostgresArrays.Of(lines.Select(l => l.Attempt)));
        parameters.Add(PostgresArrays.Of(lines.Select(l => l.Outcome.StatusCode)));
        parameters.Add(PostgresArrays.Of(lines.Select(l => l.Outcome.ResponseTimeMs)));
        parameters.Add(PostgresArrays.Of(lines.Select(l => l.Outcome.ResponseBody)));
        parameters.Add(PostgresArrays.Of(lines.Select(l => l.Error)));
        parameters.Add(PostgresArrays.Of(lines.Select(l => l.At)));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record {Count} delivery results ({Reason}); their claims will lapse and they will be sent again")]
    private static partial void LogBatchFailed(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {SubscriptionId} disabled: {Reason}")]
    private static partial void LogDisabled(ILogger logger, Guid subscriptionId, string reason);
}
