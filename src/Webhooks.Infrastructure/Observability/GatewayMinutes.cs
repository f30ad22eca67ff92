using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Webhooks.Infrastructure.Messaging;
using Webhooks.Infrastructure.Relay;

namespace Webhooks.Infrastructure.Observability;

/// <summary>
/// This instance's share of the gateway's own per-minute figures (<c>gateway_minutes</c>): what the relay published
/// and how long its publishes took, outbound delivery outcomes — listened to on the "Webhooks" meter, so the code
/// that records metrics needs no second call — and, at each flush, the levels this instance sees (backlog, relay
/// paused, and broker unreachable as the broker probe last found it). The alerts and the dashboard's charts of the last day read them.
/// </summary>
internal sealed class GatewayMinutes : IDisposable
{
    public const string Published = "published";
    public const string PublishSecondsSum = "publish_seconds_sum";
    public const string PublishBatches = "publish_batches";
    public const string PublishSecondsMax = "publish_seconds_max";
    public const string DeliveriesSucceeded = "deliveries_succeeded";
    public const string DeliveriesFailed = "deliveries_failed";
    public const string Backlog = "backlog";
    public const string OldestAgeSeconds = "oldest_age_seconds";
    public const string RelayPaused = "relay_paused";
    public const string BrokerUnreachable = "broker_unreachable";

    /// <summary>Levels keep the highest value seen in the minute; everything else is added up.</summary>
    public static readonly string[] Levels = [PublishSecondsMax, Backlog, OldestAgeSeconds, RelayPaused, BrokerUnreachable];

    private readonly MeterListener listener = new();
    private readonly WebhooksMetrics metrics;
    private readonly RelayState relay;
    private readonly BrokerProbe broker;
    private readonly bool relayRuns;
    private readonly Lock gate = new();
    private readonly TimeProvider clock;
    private ConcurrentDictionary<(DateTimeOffset Minute, string Metric), double> pending = new();

    public GatewayMinutes(WebhooksMetrics metrics, RelayState relay, BrokerProbe broker, IOptions<RelayOptions> relayOptions, TimeProvider clock)
    {
        this.metrics = metrics;
        this.relay = relay;
        this.broker = broker;
        this.clock = clock;
        relayRuns = relayOptions.Value.Enabled;
        listener.InstrumentPublished = (instrument, own) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter)
                && instrument.Name is WebhooksMetrics.PublishedName or WebhooksMetrics.PublishDurationName or WebhooksMetrics.DeliveriesName)
            {
                own.EnableMeasurementEvents(instrument, this);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == WebhooksMetrics.PublishedName)
            {
                Add(Published, value);
            }
            else if (instrument.Name == WebhooksMetrics.DeliveriesName)
            {
                Add(Succeeded(tags) ? DeliveriesSucceeded : DeliveriesFailed, value);
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == WebhooksMetrics.PublishDurationName)
            {
                Add(PublishSecondsSum, value);
                Add(PublishBatches, 1);
                Raise(PublishSecondsMax, value);
            }
        });
        listener.Start();
    }

    public void Add(string metric, double value)
    {
        lock (gate)
        {
            pending.AddOrUpdate((Minute(), metric), value, (_, sum) => sum + value);
        }
    }

    public void Raise(string metric, double value)
    {
        lock (gate)
        {
            pending.AddOrUpdate((Minute(), metric), value, (_, highest) => Math.Max(highest, value));
        }
    }

    /// <summary>Writes this minute's levels and everything counted so far; on failure the counts wait for the next flush.</summary>
    public async Task FlushAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var backlog = metrics.Backlog;
        Raise(Backlog, backlog.Count);
        Raise(OldestAgeSeconds, backlog.OldestAgeSeconds);
        if (relayRuns)
        {
            Raise(RelayPaused, relay.Paused ? 1 : 0);
        }

        var (reachable, _) = await broker.CheckAsync(cancellationToken);
        Raise(BrokerUnreachable, reachable ? 0 : 1);

        KeyValuePair<(DateTimeOffset Minute, string Metric), double>[] rows;
        lock (gate)
        {
            // Sorted, so concurrent flushes of several instances take the rows' locks in one order (no deadlock).
            rows = [.. pending.OrderBy(r => r.Key.Minute).ThenBy(r => r.Key.Metric, StringComparer.Ordinal)];
            pending = new ConcurrentDictionary<(DateTimeOffset Minute, string Metric), double>();
        }
        try
        {
            await using var command = dataSource.CreateCommand("""
                INSERT INTO gateway_minutes (minute, metric, value)
                SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::float8[])
                ON CONFLICT (minute, metric) DO UPDATE SET value = CASE WHEN EXCLUDED.metric = ANY($4)
                    THEN greatest(gateway_minutes.value, EXCLUDED.value) ELSE gateway_minutes.value + EXCLUDED.value END
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Key.Minute.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Key.Metric).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Value).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = Levels });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            lock (gate)
            {
                foreach (var ((minute, metric), value) in rows)
                {
                    pending.AddOrUpdate((minute, metric), value, (_, kept) => Array.IndexOf(Levels, metric) >= 0 ? Math.Max(kept, value) : kept + value);
                }
            }

            throw;
        }
    }

    public void Dispose() => listener.Dispose();

    private static bool Succeeded(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "outcome")
            {
                return tag.Value as string == "succeeded";
            }
        }

        return false;
    }

    private DateTimeOffset Minute()
    {
        var now = clock.GetUtcNow();
        return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
    }
}
