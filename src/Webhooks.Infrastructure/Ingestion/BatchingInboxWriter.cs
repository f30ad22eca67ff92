using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Domain.Inbox;
using Webhooks.Domain.Outbox;
using Webhooks.Infrastructure.Persistence;
using Webhooks.Infrastructure.Relay;

namespace Webhooks.Infrastructure.Ingestion;

/// <summary>
/// Commits concurrent webhooks together: requests queue their rows, a few writer loops each take whatever is
/// queued and insert it — inbox rows and their outbox rows — in one statement, which PostgreSQL runs atomically.
/// Each request completes only after that commit. A duplicate (source, idempotency key) inserts nothing and
/// answers the stored id. See docs/adr/0005-batched-ingest-commits.md.
/// </summary>
internal sealed partial class BatchingInboxWriter(
    NpgsqlDataSource dataSource,
    OutboxSignal signal,
    IOptions<IngestOptions> options,
    ILogger<BatchingInboxWriter> logger) : IInboxWriter, IHostedService, IDisposable
{
    private static readonly string InsertSql = $"""
        WITH inserted AS (
            INSERT INTO inbox_messages (id, source, provider, topic, idempotency_key, content_type, headers, body,
                                        correlation_id, client_address, received_at, status, body_sha256)
            SELECT u.* FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[],
                                   $8::bytea[], $9::text[], $10::text[], $11::timestamptz[], $12::text[], $22::bytea[])
                AS u(id, source, provider, topic, idempotency_key, content_type, headers, body, correlation_id, client_address, received_at, status, body_sha256)
            -- A body whose row retention or redaction removed is still known by its hash.
            WHERE NOT EXISTS (SELECT 1 FROM retired_body_hashes r
                              WHERE r.source = u.source AND r.topic = coalesce(u.topic, '') AND r.body_sha256 = u.body_sha256)
            -- Either unique key: (source, idempotency_key) or (source, topic, body_sha256).
            ON CONFLICT DO NOTHING
            RETURNING id
        ), events AS (
        {OutboxWriter.InsertSql(first: 13, inboxIdsIn: "SELECT id FROM inserted")}
        )
        SELECT id FROM inserted
        """;

    private const string StoredIdsSql = """
        WITH k AS (SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[], $4::text[]) WITH ORDINALITY AS k(source, key, hash, topic, ord))
        SELECT DISTINCT ON (ord) ord, id FROM (
            -- Three lookups, each on its own unique index (an OR would scan the inbox).
            SELECT k.ord, i.id FROM k JOIN inbox_messages i ON i.source = k.source AND i.idempotency_key = k.key
            UNION ALL
            SELECT k.ord, i.id FROM k JOIN inbox_messages i
                ON i.source = k.source AND coalesce(i.topic, '') = coalesce(k.topic, '') AND i.body_sha256 = k.hash
            UNION ALL
            SELECT k.ord, r.inbox_id FROM k JOIN retired_body_hashes r
                ON r.source = k.source AND r.topic = coalesce(k.topic, '') AND r.body_sha256 = k.hash
        ) found
        ORDER BY ord, id
        """;

    private readonly IngestOptions settings = options.Value;
    private readonly Channel<PendingWrite> queue = Channel.CreateBounded<PendingWrite>(
        new BoundedChannelOptions(10_000) { SingleReader = false, SingleWriter = false, FullMode = BoundedChannelFullMode.Wait });

    private readonly List<Task> loops = [];
    private readonly CancellationTokenSource stopping = new();

    /// <summary>How long the last batch taken had waited in the queue (Stopwatch ticks).</summary>
    private long lastQueueWait;

    public async Task<InboxWriteResult> WriteAsync(InboxMessage message, IReadOnlyList<OutboxMessage> events, CancellationToken cancellationToken)
    {
        if (queue.Reader.Count > 0 && Stopwatch.GetElapsedTime(0, Volatile.Read(ref lastQueueWait)) > settings.ShedAfter)
        {
            throw new StorageUnavailableException(
                $"The gateway is overloaded: commits are running more than {settings.ShedAfter.TotalSeconds:0.#} s behind.");
        }

        var pending = new PendingWrite(message, events);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.WriteTimeout);
        try
        {
            if (!queue.Writer.TryWrite(pending))
            {
                await queue.Writer.WriteAsync(pending, timeout.Token);
            }

            return await pending.Completion.Task.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StorageUnavailableException($"The webhook was not committed within {settings.WriteTimeout.TotalSeconds:0} s.");
        }
        catch (ChannelClosedException ex)
        {
            throw new StorageUnavailableException("The service is shutting down.", ex);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < settings.Writers; i++)
        {
            loops.Add(Task.Run(() => RunAsync(stopping.Token), CancellationToken.None));
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Let queued writes finish (they are answered), then stop the loops. A second stop has nothing to do.
        if (!queue.Writer.TryComplete())
        {
            return;
        }

        await Task.WhenAny(Task.WhenAll(loops), Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);
        await stopping.CancelAsync();
    }

    public void Dispose() => stopping.Dispose();

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var batch = new List<PendingWrite>(settings.MaxBatchSize);
        try
        {
            while (await queue.Reader.WaitToReadAsync(cancellationToken))
            {
                batch.Clear();
                while (batch.Count < settings.MaxBatchSize && queue.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                if (batch.Count > 0)
                {
                    Volatile.Write(ref lastQueueWait, Stopwatch.GetTimestamp() - batch[0].QueuedAt);
                }

                if (batch.Count > 0)
                {
                    await WriteBatchAsync(batch, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task WriteBatchAsync(List<PendingWrite> batch, CancellationToken cancellationToken)
    {
        try
        {
            await CommitAsync(batch, cancellationToken);
        }
        catch (Exception first) when (first is NpgsqlException or TimeoutException or IOException)
        {
            // Pooled connections may be dead after a database restart: drop them all and try once more on a
            // fresh one, so the first request after an outage succeeds instead of answering 503 again.
            dataSource.Clear();
            try
            {
                await CommitAsync(batch, cancellationToken);
            }
            catch (Exception second) when (batch.Count > 1 && second is PostgresException { IsTransient: false })
            {
                // A row the database refuses must not fail its neighbours: write them one by one.
                foreach (var item in batch)
                {
                    await WriteBatchAsync([item], cancellationToken);
                }
            }
            catch (Exception second)
            {
                LogWriteFailed(logger, batch.Count, second.GetType().Name, second.Message);
                foreach (var item in batch)
                {
                    item.Completion.TrySetException(new StorageUnavailableException("The webhook could not be stored.", second));
                }
            }
        }
        catch (Exception unexpected)
        {
            LogWriteFailed(logger, batch.Count, unexpected.GetType().Name, unexpected.Message);
            foreach (var item in batch)
            {
                item.Completion.TrySetException(new StorageUnavailableException("The webhook could not be stored.", unexpected));
            }
        }
    }

    private async Task CommitAsync(List<PendingWrite> batch, CancellationToken cancellationToken)
    {
        var inserted = new HashSet<Guid>(batch.Count);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var insert = BuildInsert(batch, connection))
        await using (var reader = await insert.ExecuteReaderAsync(cancellationToken))
        {
            var id = reader.GetOrdinal("id");
            while (await reader.ReadAsync(cancellationToken))
            {
                inserted.Add(reader.GetGuid(id));
            }
        }

        // The single statement above committed on its own; what it did not insert was already stored.
        var results = new InboxWriteResult?[batch.Count];
        List<int>? missing = null;
        for (var i = 0; i < batch.Count; i++)
        {
            if (inserted.Contains(batch[i].Message.Id))
            {
                results[i] = new InboxWriteResult(batch[i].Message.Id, false);
            }
            else
            {
                (missing ??= []).Add(i);
            }
        }

        if (missing is not null)
        {
            await ResolveStoredAsync(connection, batch, missing, results, cancellationToken);
        }

        if (inserted.Count > 0)
        {
            signal.Notify();
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (results[i] is { } result)
            {
                batch[i].Completion.TrySetResult(result);
            }
            else
            {
                batch[i].Completion.TrySetException(new StorageUnavailableException("The webhook was neither stored nor found stored."));
            }
        }
    }

    private static async Task ResolveStoredAsync(NpgsqlConnection connection, List<PendingWrite> batch, List<int> missing, InboxWriteResult?[] results, CancellationToken cancellationToken)
    {
        await using var lookup = new NpgsqlCommand(StoredIdsSql, connection);
        lookup.Parameters.Add(PostgresArrays.Of(missing.Select(i => batch[i].Message.Source)));
        lookup.Parameters.Add(PostgresArrays.Of(missing.Select(i => batch[i].Message.IdempotencyKey)));
        lookup.Parameters.Add(PostgresArrays.Of(missing.Select(i => batch[i].Message.BodySha256)));
        lookup.Parameters.Add(PostgresArrays.Of(missing.Select(i => batch[i].Message.Topic)));
        await using var reader = await lookup.ExecuteReaderAsync(cancellationToken);
        int ord = reader.GetOrdinal("ord"), id = reader.GetOrdinal("id");
        while (await reader.ReadAsync(cancellationToken))
        {
            var index = missing[(int)reader.GetInt64(ord) - 1];
            var storedId = reader.GetGuid(id);

            // A retried commit may find its own row: that is this delivery, not a duplicate of another.
            results[index] = new InboxWriteResult(storedId, storedId != batch[index].Message.Id);
        }
    }

    private static NpgsqlCommand BuildInsert(List<PendingWrite> batch, NpgsqlConnection connection)
    {
        var messages = batch.Select(b => b.Message).ToList();
        var events = batch.SelectMany(b => b.Events).ToList();
        var command = new NpgsqlCommand(InsertSql, connection) { CommandTimeout = 5 };
        var p = command.Parameters;
        p.Add(PostgresArrays.Of(messages.Select(m => m.Id)));
        p.Add(PostgresArrays.Of(messages.Select(m => m.Source)));
        p.Add(PostgresArrays.Of(messages.Select(m => m.Provider)));
        p.Add(PostgresArrays.Of(messages.Select(m => m.Topic)));
        p.Add(PostgresArrays.Of(messages.Select(m => m.IdempotencyKey)));
        p.Add(PostgresArrays.Of(messages.Select(m => m.ContentType)));
        p.Add(PostgresArrays.Of(messages.Select(m => System.Text.Json.JsonSerializer.Serialize(m.Headers)), NpgsqlDbType.Jsonb));
        p.Add(PostgresArrays.Of(messages.Select(m => m.Body)));
        p.Add(PostgresArrays.Of(messages.Select(m => m.CorrelationId)));
        p.Add(PostgresArrays.Of(messages.Select(m => m.ClientAddress)));
        p.Add(PostgresArrays.Of(messages.Select(m => m.ReceivedAt)));
        p.Add(PostgresArrays.Of(messages.Select(m => InboxStatuses.ToText(m.Status))));
        OutboxWriter.AddArrays(p, events);
        p.Add(PostgresArrays.Of(messages.Select(m => m.BodySha256)));
        return command;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not commit {Count} webhooks ({Exception}: {Reason}); answering 503")]
    private static partial void LogWriteFailed(ILogger logger, int count, string exception, string reason);

    private sealed class PendingWrite(InboxMessage message, IReadOnlyList<OutboxMessage> events)
    {
        public InboxMessage Message { get; } = message;
        public IReadOnlyList<OutboxMessage> Events { get; } = events;
        public TaskCompletionSource<InboxWriteResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long QueuedAt { get; } = Stopwatch.GetTimestamp();
    }
}

internal static class InboxStatuses
{
    public static string ToText(InboxStatus status) => status switch
    {
        InboxStatus.Processed => "processed",
        InboxStatus.Replayed => "replayed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
