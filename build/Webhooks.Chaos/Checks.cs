using System.Globalization;
using Npgsql;
using Webhooks.Contracts;

namespace Webhooks.Chaos;

/// <summary>The figures the summary prints, filled by the checks.</summary>
internal sealed class Figures
{
    public int InboxRowsFound;
    public int StoredWithoutAnswer;
    public int EventsExpected;
    public int EventsConsumed;
    public int EventsDeadLettered;
    public int EventsLost;
    public int EventsLate;
    public int UnansweredEvents;
    public int DeliveriesExpected;
    public int DeliveriesTaken;
    public int DeliveriesLost;
    public int DeliveriesLate;
    public int DeliveriesRepeated;
    public int DeliveriesUnderTwoIds;
    public int DeliveriesNotSucceededInDatabase;
    public int OutboundStoredWithoutAnswer;
    public List<string> Instances { get; } = [];
}

/// <summary>
/// The checks of issue #22, against what the load was answered, what the consumer and the receivers recorded, and the
/// database: (1) every 200 has its inbox row; (2) every event of those webhooks reached the consumer's queue or the
/// dead letters, by id; (3) every outbound delivery reached its receiver, under one message id; (4) both instances
/// alive.
/// </summary>
internal static class Checks
{
    /// <summary>A delivery row's status once its receiver answered 2xx (contract v3: delivered, dead, archived).</summary>
    private static readonly string Delivered = Webhooks.Domain.Delivery.DeliveryStatuses.Text(Webhooks.Domain.Delivery.DeliveryStatus.Delivered);

    public static async Task RunAsync(
        ChaosOptions options, NpgsqlDataSource database, InboundLoad inbound, OutboundLoad outbound, EventConsumer consumer, Receivers receivers, Drain drain, Figures figures, Verdict verdict)
    {
        foreach (var refused in inbound.Refused.Concat(outbound.Refused).Take(20))
        {
            verdict.Violation("refused: " + refused);
        }

        // (1) Every 200 has its inbox row, under the idempotency key that was sent.
        var answered = inbound.Accepted.Values.ToList();
        var rows = new Dictionary<Guid, string>();
        await using (var command = database.CreateCommand("SELECT id, idempotency_key FROM inbox_messages WHERE id = ANY($1)"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = answered.Select(a => a.InboxId).ToArray() });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows[reader.GetGuid(0)] = reader.GetString(1);
            }
        }

        figures.InboxRowsFound = answered.Count(a => rows.ContainsKey(a.InboxId));
        var withoutRow = answered.Where(a => !rows.ContainsKey(a.InboxId)).Select(a => $"{a.EventId} → {a.InboxId}").ToList();
        if (withoutRow.Count > 0)
        {
            verdict.Violation($"{withoutRow.Count} webhooks answered 200 have no inbox row: {Verdict.Some(withoutRow)}");
        }

        var wrongRow = answered.Where(a => rows.TryGetValue(a.InboxId, out var key) && key != a.EventId).Select(a => $"{a.EventId} → {a.InboxId} ({rows[a.InboxId]})").ToList();
        if (wrongRow.Count > 0)
        {
            verdict.Violation($"{wrongRow.Count} webhooks answered 200 with the inbox id of another delivery: {Verdict.Some(wrongRow)}");
        }

        await using (var command = database.CreateCommand("SELECT count(*) FROM inbox_messages WHERE idempotency_key = ANY($1)"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = inbound.GivenUp.ToArray() });
            figures.StoredWithoutAnswer = (int)(long)(await command.ExecuteScalarAsync())!;
        }

        // (2) Both events of every answered webhook are in the outbox, and each reached the consumer or the dead letters.
        var byInbox = drain.Events.Values.ToLookup(e => e.InboxId);
        string[] types = [RoutingKeys.Received, RoutingKeys.OrderCreated];
        var unmapped = answered.Where(a => rows.ContainsKey(a.InboxId))
            .SelectMany(a => types.Where(type => !byInbox[a.InboxId].Any(e => e.Type == type)).Select(type => $"{a.InboxId} ({a.EventId}) has no {type}"))
            .ToList();
        if (unmapped.Count > 0)
        {
            verdict.Violation($"{unmapped.Count} events missing from the outbox of answered webhooks: {Verdict.Some(unmapped)}");
        }

        var answeredInbox = answered.Select(a => a.InboxId).ToHashSet();
        var missing = new List<StoredEvent>();
        foreach (var stored in drain.Events.Values)
        {
            var ofAnswered = answeredInbox.Contains(stored.InboxId);
            if (ofAnswered)
            {
                figures.EventsExpected++;
            }
            else
            {
                figures.UnansweredEvents++;
            }

            if (consumer.Seen.TryGetValue(stored.Id.ToString(), out var seen))
            {
                if (ofAnswered)
                {
                    figures.EventsConsumed++;
                }

                if (seen.Type != stored.Type || seen.InboxId != stored.InboxId.ToString())
                {
                    verdict.Violation($"event {stored.Id} arrived as {seen.Type} of inbox {seen.InboxId}, stored as {stored.Type} of {stored.InboxId}");
                }
            }
            else if (drain.DeadLettered.Contains(stored.Id))
            {
                if (ofAnswered)
                {
                    figures.EventsDeadLettered++;
                }
            }
            else
            {
                missing.Add(stored);
            }
        }

        // Not arrived: late while the outbox still holds it as pending (the relay has it to publish), else lost.
        var status = new Dictionary<Guid, string>();
        await using (var command = database.CreateCommand("SELECT id, status FROM outbox_messages WHERE id = ANY($1)"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = missing.Select(e => e.Id).ToArray() });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                status[reader.GetGuid(0)] = reader.GetString(1);
            }
        }

        string Describe(StoredEvent e) => $"{e.Id} ({e.Type} of inbox {e.InboxId}, outbox status {status.GetValueOrDefault(e.Id, "gone")})";
        var late = missing.Where(e => status.GetValueOrDefault(e.Id) == "pending").Select(Describe).ToList();
        var lost = missing.Where(e => status.GetValueOrDefault(e.Id) != "pending").Select(Describe).ToList();
        figures.EventsLost = lost.Count;
        figures.EventsLate = late.Count;
        if (lost.Count > 0)
        {
            verdict.Violation($"{lost.Count} stored events left the outbox but reached neither the consumer's queue nor the dead letters (lost): {Verdict.Some(lost)}");
        }

        if (late.Count > 0)
        {
            verdict.Violation($"{late.Count} stored events were still waiting in the outbox when the drain ended (late, not lost): {Verdict.Some(late)}");
        }

        // (3) Outbound: every stored event reached every receiver, each pair under exactly one message id, the one the
        // gateway stored for that delivery.
        var notFannedOut = outbound.Accepted.Values.Where(a => a.Subscriptions != options.Receivers).Select(a => $"{a.EventId} ({a.Subscriptions})").ToList();
        if (notFannedOut.Count > 0)
        {
            verdict.Violation($"{notFannedOut.Count} events were fanned out to fewer or more than the {options.Receivers} subscriptions: {Verdict.Some(notFannedOut)}");
        }

        var deliveries = new Dictionary<(string EventId, Guid Subscription), (Guid Id, string Status, int Attempts)>();
        await using (var command = database.CreateCommand("SELECT event_id, subscription_id, id, status, attempts FROM deliveries WHERE event_id = ANY($1)"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = drain.OutboundStored.ToArray() });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                deliveries[(reader.GetString(0), reader.GetGuid(1))] = (reader.GetGuid(2), reader.GetString(3), reader.GetInt32(4));
            }
        }

        figures.OutboundStoredWithoutAnswer = drain.OutboundStored.Count(id => !outbound.Accepted.ContainsKey(id));
        var lostDeliveries = new List<string>();
        var lateDeliveries = new List<string>();
        var twoIds = new List<string>();
        var wrongId = new List<string>();
        var notSucceeded = new List<string>();
        foreach (var eventId in drain.OutboundStored)
        {
            for (var r = 0; r < options.Receivers; r++)
            {
                figures.DeliveriesExpected++;
                var subscription = receivers.SubscriptionIds[r];
                deliveries.TryGetValue((eventId, subscription), out var row);
                if (row.Status is not null && row.Status != Delivered)
                {
                    figures.DeliveriesNotSucceededInDatabase++;
                    if (row.Status != "pending")
                    {
                        notSucceeded.Add($"{eventId} → receiver {r}: {row.Status} after {row.Attempts} attempts");
                    }
                }

                if (!receivers.Seen.TryGetValue((eventId, r), out var arrivals) || Volatile.Read(ref arrivals.Taken) == 0)
                {
                    (row.Status == "pending" ? lateDeliveries : lostDeliveries)
                        .Add($"{eventId} → receiver {r} ({(row.Status is null ? "no delivery row" : $"delivery msg_{row.Id:N} {row.Status} after {row.Attempts} attempts")})");
                    continue;
                }

                figures.DeliveriesTaken++;
                if (arrivals.Total > 1)
                {
                    figures.DeliveriesRepeated++;
                }

                if (arrivals.MessageIds.Count > 1)
                {
                    twoIds.Add($"{eventId} → receiver {r}: {string.Join(" ", arrivals.MessageIds.Keys)}");
                }
                else if (row.Status is not null && arrivals.MessageIds.Keys.Single() != $"msg_{row.Id:N}")
                {
                    wrongId.Add($"{eventId} → receiver {r}: {arrivals.MessageIds.Keys.Single()}, stored msg_{row.Id:N}");
                }
            }
        }

        figures.DeliveriesLost = lostDeliveries.Count;
        figures.DeliveriesLate = lateDeliveries.Count;
        figures.DeliveriesUnderTwoIds = twoIds.Count;
        if (lostDeliveries.Count > 0)
        {
            verdict.Violation($"{lostDeliveries.Count} deliveries never reached their receiver and the gateway no longer has them to send (lost): {Verdict.Some(lostDeliveries)}");
        }

        if (lateDeliveries.Count > 0)
        {
            verdict.Violation($"{lateDeliveries.Count} deliveries were still pending when the drain ended (late, not lost): {Verdict.Some(lateDeliveries)}");
        }

        if (twoIds.Count > 0)
        {
            verdict.Violation($"{twoIds.Count} deliveries arrived under two message ids: {Verdict.Some(twoIds)}");
        }

        if (wrongId.Count > 0)
        {
            verdict.Violation($"{wrongId.Count} deliveries arrived under another message id than their delivery row's: {Verdict.Some(wrongId)}");
        }

        if (notSucceeded.Count > 0)
        {
            verdict.Violation($"{notSucceeded.Count} delivery rows ended neither delivered nor pending: {Verdict.Some(notSucceeded)}");
        }

        var strays = receivers.Seen.Keys.Where(k => !drain.OutboundStored.Contains(k.EventId)).Select(k => $"{k.EventId} → receiver {k.Receiver}").ToList();
        if (strays.Count > 0)
        {
            verdict.Violation($"{strays.Count} deliveries of events that were never stored: {Verdict.Some(strays)}");
        }

        if (!receivers.Problems.IsEmpty)
        {
            verdict.Violation($"the receivers saw {receivers.Problems.Count} bad requests: {Verdict.Some(receivers.Problems)}");
        }
    }

    /// <summary>(4) Each instance's process (the PID the script started last) still runs it, and answers /health/live.</summary>
    public static async Task InstancesAsync(ChaosOptions options, Figures figures, Verdict verdict)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var i = 0; i < options.Instances.Count; i++)
        {
            var instance = options.Instances[i];
            var pidFile = Path.Combine(options.WorkDir, string.Create(CultureInfo.InvariantCulture, $"instance-{i}.pid"));
            var pid = File.Exists(pidFile) ? (await File.ReadAllTextAsync(pidFile)).Trim() : "?";
            var cmdline = $"/proc/{pid}/cmdline";
            var running = File.Exists(cmdline) && (await File.ReadAllTextAsync(cmdline)).Contains("Webhooks.Api.dll", StringComparison.Ordinal);
            int? live = null;
            try
            {
                using var answer = await http.GetAsync(new Uri(instance, "/api/v1/health/live"));
                live = (int)answer.StatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // No answer: reported below.
            }

            figures.Instances.Add($"{instance.Authority} pid {pid}: {(running ? "running" : "NOT RUNNING")}, /api/v1/health/live {live?.ToString(CultureInfo.InvariantCulture) ?? "no answer"}");
            if (!running || live != 200)
            {
                verdict.Violation($"instance {instance.Authority} (pid {pid}) is not alive at the end: process {(running ? "running" : "gone")}, live answered {live?.ToString(CultureInfo.InvariantCulture) ?? "nothing"}");
            }
        }
    }
}
