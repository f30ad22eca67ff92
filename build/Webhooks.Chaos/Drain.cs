using System.Diagnostics;
using Npgsql;

namespace Webhooks.Chaos;

/// <summary>An event the gateway stored for a webhook: its outbox row.</summary>
internal sealed record StoredEvent(Guid Id, Guid InboxId, string Type, string Status);

/// <summary>A delivery lease seen held, unchanged, longer than any send can take, and moved to now.</summary>
/// <param name="Received">Whether its receiver already had it (sent, but the result not recorded).</param>
internal sealed record MovedLease(Guid DeliveryId, string EventId, string Owner, bool OwnerAlive, bool Received);

/// <summary>
/// After the load and the faults: waits (bounded) until the relay has published every stored event, every event has
/// reached the consumer or the dead letters, and every delivery has reached its receiver. A delivery whose worker was
/// killed (or whose result could not be recorded while PostgreSQL restarted) stays claimed for the service's lease
/// (the subscription timeout plus 60 s); unless told to wait for that, a lease seen unchanged for longer than any send can take is moved to now,
/// which is what its lapse would do, and the delivery is then sent again by the gateway itself.
/// </summary>
internal sealed class Drain(
    ChaosOptions options, NpgsqlDataSource database, OutboundLoad outbound, EventConsumer consumer, Receivers receivers, Tally tally)
{
    /// <summary>Longer than a send may take (the subscriptions' 10 s timeout) and its result's recording.</summary>
    private static readonly TimeSpan OrphanedAfter = TimeSpan.FromSeconds(20);

    private readonly Dictionary<Guid, (DateTime Until, Stopwatch Seen)> leases = [];

    /// <summary>Every event stored for a webhook (the database is the run's own), by outbox id.</summary>
    public Dictionary<Guid, StoredEvent> Events { get; } = [];

    /// <summary>Outbound event ids that must reach every receiver: accepted, or stored though their answer was lost.</summary>
    public HashSet<string> OutboundStored { get; } = new(StringComparer.Ordinal);

    public HashSet<Guid> DeadLettered { get; } = [];

    public List<MovedLease> MovedLeases { get; } = [];

    public long OutboxPending { get; private set; } = -1;

    public long DeliveriesPending { get; private set; } = -1;

    /// <summary>The backlogs when the faults had stopped: outbox rows and deliveries still pending.</summary>
    public (long Outbox, long Deliveries)? AtStart { get; private set; }

    /// <summary>
    /// Waits up to <see cref="ChaosOptions.Drain"/>, and beyond it — up to half the load's duration — for as long as the
    /// backlog still shrinks (a long run may leave a large one).
    /// </summary>
    public async Task<bool> RunAsync()
    {
        var clock = Stopwatch.StartNew();
        var progress = Stopwatch.StartNew();
        var shrinking = Stopwatch.StartNew();
        var cap = options.Drain > options.Load / 2 ? options.Drain : options.Load / 2;
        var least = long.MaxValue;
        var loaded = false;
        while (true)
        {
            try
            {
                if (!loaded)
                {
                    await LoadExpectationsAsync();
                    loaded = true;
                }

                OutboxPending = await ScalarAsync("SELECT count(*) FROM outbox_messages WHERE status = 'pending'");
                DeliveriesPending = await ScalarAsync("SELECT count(*) FROM deliveries WHERE status = 'pending'");
                AtStart ??= (OutboxPending, DeliveriesPending);
                var missingEvents = await MissingEventsAsync();
                var missingDeliveries = MissingDeliveries().Count();
                var backlog = await consumer.BacklogAsync();
                var left = OutboxPending + DeliveriesPending + missingEvents + missingDeliveries;
                if (left < least)
                {
                    least = left;
                    shrinking.Restart();
                }

                if (OutboxPending == 0 && DeliveriesPending == 0 && missingEvents == 0 && missingDeliveries == 0 && backlog == 0)
                {
                    ChaosRun.Log($"drained after {clock.Elapsed.TotalSeconds:0} s");
                    return true;
                }

                if (progress.Elapsed > TimeSpan.FromSeconds(10))
                {
                    ChaosRun.Log($"draining: outbox pending {OutboxPending}, events not yet consumed {missingEvents}, queue backlog {backlog?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}, deliveries pending {DeliveriesPending}, not yet at their receiver {missingDeliveries}");
                    progress.Restart();
                }

                if (!options.WaitLeases)
                {
                    await MoveOrphanedLeasesAsync();
                }
            }
            catch (NpgsqlException e)
            {
                tally.Add("drain database errors");
                ChaosRun.Log($"drain: database error {e.Message}");
            }

            if (clock.Elapsed > cap || (clock.Elapsed > options.Drain && shrinking.Elapsed > TimeSpan.FromSeconds(30)))
            {
                return false;
            }

            await Task.Delay(1000);
        }
    }

    /// <summary>(outbound event id, receiver) pairs not yet taken by their receiver.</summary>
    public IEnumerable<(string EventId, int Receiver)> MissingDeliveries() =>
        OutboundStored.SelectMany(id => Enumerable.Range(0, options.Receivers).Select(r => (id, r)))
            .Where(pair => !receivers.Seen.TryGetValue(pair, out var arrivals) || Volatile.Read(ref arrivals.Taken) == 0);

    private async Task LoadExpectationsAsync()
    {
        await using (var command = database.CreateCommand("SELECT id, inbox_id, event_type, status FROM outbox_messages WHERE inbox_id IS NOT NULL"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                Events[reader.GetGuid(0)] = new StoredEvent(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3));
            }
        }

        OutboundStored.UnionWith(outbound.Accepted.Keys);
        await using (var command = database.CreateCommand("SELECT id FROM outbound_events WHERE id = ANY($1)"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = outbound.GivenUp.ToArray() });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                OutboundStored.Add(reader.GetString(0));
            }
        }

    }

    /// <summary>Stored events neither consumed nor dead-lettered (the dead letters are read again for those only).</summary>
    private async Task<int> MissingEventsAsync()
    {
        var missing = Events.Keys.Where(id => !consumer.Seen.ContainsKey(id.ToString()) && !DeadLettered.Contains(id)).ToArray();
        if (missing.Length == 0)
        {
            return 0;
        }

        await using var command = database.CreateCommand("SELECT event_id FROM dead_letters WHERE event_id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = missing });
        await using var reader = await command.ExecuteReaderAsync();
        var found = 0;
        while (await reader.ReadAsync())
        {
            DeadLettered.Add(reader.GetGuid(0));
            found++;
        }

        return missing.Length - found;
    }

    private async Task MoveOrphanedLeasesAsync()
    {
        var held = new Dictionary<Guid, (DateTime Until, string EventId, string Owner, Guid Subscription)>();
        await using (var command = database.CreateCommand("SELECT id, claimed_until, event_id, claimed_by, subscription_id FROM deliveries WHERE status = 'pending' AND claimed_until > now()"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                held[reader.GetGuid(0)] = (reader.GetDateTime(1), reader.GetString(2), reader.IsDBNull(3) ? "" : reader.GetString(3), reader.GetGuid(4));
            }
        }

        foreach (var gone in leases.Keys.Where(id => !held.ContainsKey(id)).ToList())
        {
            leases.Remove(gone);
        }

        foreach (var (id, lease) in held)
        {
            if (!leases.TryGetValue(id, out var seen) || seen.Until != lease.Until)
            {
                leases[id] = (lease.Until, Stopwatch.StartNew());
                continue;
            }

            if (seen.Seen.Elapsed < OrphanedAfter)
            {
                continue;
            }

            await using var move = database.CreateCommand("UPDATE deliveries SET claimed_until = now() WHERE id = $1 AND claimed_until = $2 AND status = 'pending'");
            move.Parameters.Add(new NpgsqlParameter { Value = id });
            move.Parameters.Add(new NpgsqlParameter { Value = lease.Until });
            if (await move.ExecuteNonQueryAsync() == 1)
            {
                var receiver = receivers.SubscriptionIds.ToList().IndexOf(lease.Subscription);
                var received = receivers.Seen.TryGetValue((lease.EventId, receiver), out var arrivals) && Volatile.Read(ref arrivals.Taken) > 0;
                var moved = new MovedLease(id, lease.EventId, lease.Owner, OwnerAlive(lease.Owner), received);
                MovedLeases.Add(moved);
                ChaosRun.Log($"delivery {id} ({lease.EventId} → receiver {receiver}, {(received ? "already received" : "not received yet")}) held by {lease.Owner} ({(moved.OwnerAlive ? "alive" : "killed")}) for {seen.Seen.Elapsed.TotalSeconds:0} s without progress: lease moved to now");
            }

            leases.Remove(id);
        }
    }

    /// <summary>Owners are "{machine}:{pid}:{guid}": whether that process still runs.</summary>
    private static bool OwnerAlive(string owner)
    {
        var parts = owner.Split(':');
        return parts.Length >= 2 && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var pid) && Directory.Exists($"/proc/{pid}");
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var command = database.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
