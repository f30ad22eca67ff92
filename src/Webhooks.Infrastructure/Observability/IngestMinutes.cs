using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Domain.Outbox;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.Infrastructure.Observability;

/// <summary>
/// This instance's ingest outcomes per (minute, source, outcome), added to the shared <c>ingest_minutes</c> every few
/// seconds: one upsert per flush, never one per request. What a flush could not write is kept for the next. Each flush
/// also writes the gateway's own figures (<see cref="GatewayMinutes"/>).
/// </summary>
internal sealed partial class IngestMinutes(
    NpgsqlDataSource dataSource, MigrationState migrations, GatewayMinutes gateway, IOptions<MinuteFiguresOptions> options, TimeProvider clock, ILogger<IngestMinutes> logger)
    : BackgroundService, Application.Admin.Alerts.IMinuteFigures
{
    /// <summary>Outcomes that are a rejected delivery (what the rejection rate and evt.gateway.rejected count).</summary>
    public static readonly string[] RejectedOutcomes = ["rejected_signature", "rejected_address", "rejected_other", "rate_limited", "too_large"];
    private const int SamplesPerSourceAndMinute = 5;

    /// <summary>evt.webhook.validation.failed per source and minute on one instance, at most (contract v3); past it only the summary.</summary>
    public const int ValidationFailuresPerSourceAndMinute = 60;

    private readonly ConcurrentDictionary<(DateTimeOffset Minute, string Source), int> announced = new();
    private ConcurrentQueue<OutboxMessage> validationFailures = new();

    private ConcurrentDictionary<(DateTimeOffset Minute, string Source, string Outcome), long> pending = new();
    private ConcurrentDictionary<(DateTimeOffset Minute, string Source), ConcurrentDictionary<string, byte>> samples = new();

    public void Add(string source, string outcome, string? client, IngestRejection? rejection = null)
    {
        var now = clock.GetUtcNow();
        var minute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        pending.AddOrUpdate((minute, source, outcome), 1, (_, n) => n + 1);
        if (rejection is not null && announced.AddOrUpdate((minute, source), 1, (_, n) => n + 1) <= ValidationFailuresPerSourceAndMinute)
        {
            validationFailures.Enqueue(Application.Events.GatewayEvents.ValidationFailed(source, rejection, now));
        }

        if (client is not null && Array.IndexOf(RejectedOutcomes, outcome) >= 0)
        {
            // A handful of addresses per source and minute: enough to tell a misconfigured sender from an attack.
            var addresses = samples.GetOrAdd((minute, source), _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal));
            if (addresses.Count < SamplesPerSourceAndMinute)
            {
                addresses.TryAdd(client, 0);
            }
        }
    }

    /// <summary>Writes what was counted so far (the evaluator also calls it, so an evaluation sees this instance's last seconds).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!migrations.Applied)
        {
            return;
        }

        await AnnounceValidationFailuresAsync(cancellationToken);

        try
        {
            await gateway.FlushAsync(dataSource, cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            LogFlushFailed(logger, ex.Message);
        }

        var taken = Interlocked.Exchange(ref pending, new ConcurrentDictionary<(DateTimeOffset Minute, string Source, string Outcome), long>());
        if (taken.IsEmpty)
        {
            foreach (var (key, count) in taken)
            {
                pending.AddOrUpdate(key, count, (_, n) => n + count);
            }

            return;
        }

        // Sorted, so concurrent flushes of several instances take the rows' locks in one order (no deadlock).
        var rows = taken.OrderBy(r => r.Key.Minute).ThenBy(r => r.Key.Source, StringComparer.Ordinal).ThenBy(r => r.Key.Outcome, StringComparer.Ordinal).ToArray();
        var sampled = Interlocked.Exchange(ref samples, new ConcurrentDictionary<(DateTimeOffset Minute, string Source), ConcurrentDictionary<string, byte>>())
            .SelectMany(s => s.Value.Keys.Take(SamplesPerSourceAndMinute).Select(address => (s.Key.Minute, s.Key.Source, Address: address))).ToArray();
        try
        {
            if (sampled.Length > 0)
            {
                await using var insert = dataSource.CreateCommand("""
                    INSERT INTO rejection_samples (minute, source, address)
                    SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING
                    """);
                insert.Parameters.Add(new NpgsqlParameter { Value = sampled.Select(r => r.Minute.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
                insert.Parameters.Add(new NpgsqlParameter { Value = sampled.Select(r => r.Source).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter { Value = sampled.Select(r => r.Address).ToArray() });
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var command = dataSource.CreateCommand("""
                INSERT INTO ingest_minutes (minute, source, outcome, count)
                SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::bigint[])
                ON CONFLICT (minute, source, outcome) DO UPDATE SET count = ingest_minutes.count + EXCLUDED.count
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Key.Minute.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Key.Source).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Key.Outcome).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Value).ToArray() });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            foreach (var (key, count) in rows)
            {
                pending.AddOrUpdate(key, count, (_, n) => n + count);
            }

            LogFlushFailed(logger, ex.Message);
        }
    }

    /// <summary>Seed 000's evt.webhook.validation.failed, written to the outbox in one statement per flush.</summary>
    private async Task AnnounceValidationFailuresAsync(CancellationToken cancellationToken)
    {
        var taken = Interlocked.Exchange(ref validationFailures, new ConcurrentQueue<OutboxMessage>());
        var cutoff = clock.GetUtcNow().AddMinutes(-2);
        foreach (var key in announced.Keys.Where(k => k.Minute < cutoff))
        {
            announced.TryRemove(key, out _);
        }

        if (taken.IsEmpty)
        {
            return;
        }

        var events = taken.ToList();
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await Persistence.OutboxWriter.WriteAsync(connection, null, events, cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            events.ForEach(validationFailures.Enqueue);
            LogFlushFailed(logger, ex.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.FlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await FlushAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogFlushFailed(logger, ex.Message); // counted again at the next flush; never the end of the loop
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await FlushAsync(CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not add the per-minute figures ({Reason}); kept for the next flush")]
    private static partial void LogFlushFailed(ILogger logger, string reason);
}

/// <summary>
/// Webhooks:Alerts:FlushInterval — how often each instance adds its per-minute figures to the shared tables (the alerts'
/// and the charts' input; the key sits with the alerts, which read them).
/// </summary>
internal sealed class MinuteFiguresOptions
{
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(5);
}
