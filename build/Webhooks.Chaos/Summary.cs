using System.Globalization;
using System.Text;

namespace Webhooks.Chaos;

/// <summary>Everything the summary reports.</summary>
internal sealed record Run(
    ChaosOptions Options, Tally Tally, InboundLoad Inbound, OutboundLoad Outbound, DateTimeOffset LoadStarted, double LoadSeconds,
    double DrainSeconds, bool Drained, Drain Drain, Figures Figures, Verdict Verdict);

/// <summary>The closing table: the load and its answers, the faults with their times, each check's figures, the verdict.</summary>
internal static class Summary
{
    public static void Print(Run run)
    {
        var (options, tally, figures) = (run.Options, run.Tally, run.Figures);
        var output = new StringBuilder();
        void Row(string what, object value) => output.AppendLine(CultureInfo.InvariantCulture, $"| {what,-62} | {value,22} |");
        void Rule() => output.AppendLine(CultureInfo.InvariantCulture, $"|{new string('-', 64)}|{new string('-', 24)}|");

        output.AppendLine();
        output.AppendLine(CultureInfo.InvariantCulture,
            $"chaos summary — seed {options.Seed}, {options.Instances.Count} instances, load {options.Load.TotalSeconds:0} s ({run.LoadSeconds:0} s with its last retries), drain {run.DrainSeconds:0} s{(run.Drained ? "" : " (NOT drained)")}");
        Row("load", "");
        Rule();
        Row($"signed Shopify webhooks sent ({options.Rate:0.#}/s)", run.Inbound.Started);
        Row("  answered 200 (stored / duplicate of a lost answer)", $"{run.Inbound.Accepted.Count} ({run.Inbound.Accepted.Values.Count(a => !a.Duplicate)} / {run.Inbound.Accepted.Values.Count(a => a.Duplicate)})");
        Row("  given up after 8 attempts (of which stored)", $"{run.Inbound.GivenUp.Count} ({figures.StoredWithoutAnswer})");
        Attempts(InboundLoad.Kind);
        Row($"outbound events published ({options.OutboundRate:0.#}/s, {options.Receivers} subscriptions)", run.Outbound.Started);
        Row("  answered 202 (new / duplicate of a lost answer)", $"{run.Outbound.Accepted.Count} ({run.Outbound.Accepted.Values.Count(a => !a.Duplicate)} / {run.Outbound.Accepted.Values.Count(a => a.Duplicate)})");
        Row("  given up after 8 attempts (of which stored)", $"{run.Outbound.GivenUp.Count} ({figures.OutboundStoredWithoutAnswer})");
        Attempts(OutboundLoad.Kind);
        Row("receivers: requests / answered 500 on purpose", $"{tally[$"{Receivers.Kind} requests"]} / {tally[$"{Receivers.Kind} answered 500 on purpose"]}");
        Row("consumer: deliveries / same message id again", $"{tally[$"{EventConsumer.Kind} deliveries"]} / {tally[$"{EventConsumer.Kind} same message id again"]}");
        Row("consumer: connection lost / recovered", $"{tally[$"{EventConsumer.Kind} connection lost"]} / {tally[$"{EventConsumer.Kind} connection recovered"]}");
        output.AppendLine();

        var faults = Faults(options, run.LoadStarted);
        output.AppendLine(CultureInfo.InvariantCulture, $"faults injected: {faults.Count}");
        foreach (var fault in faults)
        {
            output.AppendLine(fault);
        }

        output.AppendLine();
        Row("check", "expected → seen");
        Rule();
        Row("(1) webhooks answered 200 → with their inbox row", $"{run.Inbound.Accepted.Count} → {figures.InboxRowsFound}");
        Row("(2) their events (received, mapped, processed) → consumed", $"{figures.EventsExpected} → {figures.EventsConsumed}");
        Row("    → dead-lettered", figures.EventsDeadLettered);
        Row("    → still in the outbox at the end (late)", figures.EventsLate);
        Row("    → lost", figures.EventsLost);
        Row("    events of webhooks stored without a 200 (also checked)", figures.UnansweredEvents);
        Row("(3) deliveries (stored events × subscriptions) → received", $"{figures.DeliveriesExpected} → {figures.DeliveriesTaken}");
        Row("    → still pending at the end (late)", figures.DeliveriesLate);
        Row("    → lost", figures.DeliveriesLost);
        Row("    → under two message ids", figures.DeliveriesUnderTwoIds);
        Row("    → received more than once (retries, same id)", figures.DeliveriesRepeated);
        Row("    delivery rows not 'delivered' at the end", figures.DeliveriesNotSucceededInDatabase);
        Row("    outbox / deliveries pending when the faults stopped", run.Drain.AtStart is { } start ? $"{start.Outbox} / {start.Deliveries}" : "?");
        Row("    outbox / deliveries still pending at the end", $"{run.Drain.OutboxPending} / {run.Drain.DeliveriesPending}");
        Row("    delivery leases of lost workers moved to now", Leases(run.Drain));
        Row("(4) instances alive and live", $"{options.Instances.Count} → {figures.Instances.Count(i => i.Contains("running,", StringComparison.Ordinal) && i.EndsWith(" 200", StringComparison.Ordinal))}");
        foreach (var instance in figures.Instances)
        {
            output.AppendLine("    " + instance);
        }

        foreach (var note in run.Verdict.Notes)
        {
            output.AppendLine("note: " + note);
        }

        foreach (var violation in run.Verdict.Violations)
        {
            output.AppendLine("VIOLATION: " + violation);
        }

        output.AppendLine(run.Verdict.Violations.Count == 0 ? "chaos: passed" : $"chaos: failed ({run.Verdict.Violations.Count} violations)");
        Console.Write(output.ToString());

        void Attempts(string kind)
        {
            var answers = string.Join(", ", tally.WithPrefix(kind + " answered ").Select(a => $"{a.Name}×{a.Count}"));
            var silent = string.Join(", ", tally.WithPrefix(kind + " no answer ").Select(a => $"{a.Name.Trim('(', ')')}×{a.Count}"));
            Row("  attempts", tally[kind + " attempts"]);
            Row("  answers", answers.Length == 0 ? "none" : answers);
            Row("  no answer", silent.Length == 0 ? "none" : silent);
        }
    }

    private static string Leases(Drain drain) => drain.MovedLeases.Count == 0
        ? "0"
        : $"{drain.MovedLeases.Count} ({drain.MovedLeases.Count(l => !l.OwnerAlive)} killed, {drain.MovedLeases.Count(l => l.OwnerAlive)} live owner; {drain.MovedLeases.Count(l => !l.Received)} unsent)";

    /// <summary>The script's fault log (epoch ms, what, outcome; tab-separated), with times from the load's start.</summary>
    private static List<string> Faults(ChaosOptions options, DateTimeOffset loadStarted)
    {
        var path = Path.Combine(options.WorkDir, ChaosRun.FaultsLogFile);
        if (!File.Exists(path))
        {
            return [];
        }

        return [.. File.ReadAllLines(path).Select(line => line.Split('\t')).Where(parts => parts.Length >= 2).Select(parts =>
        {
            var at = (DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[0], CultureInfo.InvariantCulture)) - loadStarted).TotalSeconds;
            return string.Create(CultureInfo.InvariantCulture, $"  +{at,6:0.0} s  {parts[1],-42} {(parts.Length > 2 ? parts[2] : "")}");
        })];
    }
}
