using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Webhooks.Chaos;

/// <summary>
/// One run: consumer and receivers up, subscriptions created, the load for its duration (the script injects faults
/// meanwhile), then — once the script says the faults have stopped — the drain and the checks.
/// </summary>
internal static class ChaosRun
{
    /// <summary>Hand-over files in the run folder, shared with build/chaos.sh.</summary>
    public const string LoadStartedFile = "load-started";
    public const string FaultsDoneFile = "faults-done";
    public const string FaultsLogFile = "faults.log";

    /// <summary>What every subscription takes: the outbound load's events.</summary>
    private static readonly string[] ChaosEvents = ["chaos.*"];

    public static async Task<int> RunAsync(ChaosOptions options)
    {
        var tally = new Tally();
        Log($"seed {options.Seed}; {options.Instances.Count} instances; {options.Rate:0.#} webhooks/s and {options.OutboundRate:0.#} events/s × {options.Receivers} subscriptions for {options.Load.TotalSeconds:0} s");
        await using var consumer = await EventConsumer.StartAsync(options.Amqp, tally);
        await using var receivers = await Receivers.StartAsync(options.ReceiverPort, options.Receivers, tally);
        await SubscribeAsync(options, receivers);

        var inbound = new InboundLoad(options, tally);
        var outbound = new OutboundLoad(options, tally);
        var loadStarted = DateTimeOffset.UtcNow;
        await File.WriteAllTextAsync(Path.Combine(options.WorkDir, LoadStartedFile), loadStarted.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        Log("load started");
        var loadClock = Stopwatch.StartNew();
        await Task.WhenAll(inbound.RunAsync(options.Load), outbound.RunAsync(options.Load));
        var loadSeconds = loadClock.Elapsed.TotalSeconds;
        Log($"load done after {loadSeconds:0} s (retries included): {inbound.Accepted.Count} webhooks and {outbound.Accepted.Count} events accepted");

        var faultsDone = await WaitForFaultsToStopAsync(options);
        await using var database = NpgsqlDataSource.Create(options.Postgres);
        var drain = new Drain(options, database, outbound, consumer, receivers, tally);
        var drainClock = Stopwatch.StartNew();
        var drained = await drain.RunAsync();
        var drainSeconds = drainClock.Elapsed.TotalSeconds;

        var verdict = new Verdict();
        var figures = new Figures();
        try
        {
            await Checks.RunAsync(options, database, inbound, outbound, consumer, receivers, drain, figures, verdict);
        }
        catch (NpgsqlException e)
        {
            verdict.Violation($"the checks could not read the database: {e.Message}");
        }

        await Checks.InstancesAsync(options, figures, verdict);
        if (!faultsDone)
        {
            verdict.Violation("the script did not report the faults as stopped and everything restarted");
        }

        if (drain.MovedLeases.Count > 0)
        {
            verdict.Note($"{drain.MovedLeases.Count} deliveries stayed claimed by workers that had died or could not record their result (the service's delivery lease is the subscription timeout plus 60 s, and such claims count against their endpoint's concurrency cap); their leases were moved to now and the gateway then sent them (--wait-leases waits for the lapse instead)");
        }

        if (!drained)
        {
            verdict.Note($"the drain ended after {drainSeconds:0} s with work left (it waits {options.Drain.TotalSeconds:0} s, longer while the backlog shrinks)");
        }

        Summary.Print(new Run(options, tally, inbound, outbound, loadStarted, loadSeconds, drainSeconds, drained, drain, figures, verdict));
        return verdict.Violations.Count == 0 ? 0 : 1;
    }

    public static void Log(string message) =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"chaos {DateTimeOffset.Now:HH:mm:ss} {message}"));

    /// <summary>One subscription per receiver, to chaos.*, with a short timeout; each receiver learns its secret.</summary>
    private static async Task SubscribeAsync(ChaosOptions options, Receivers receivers)
    {
        using var http = new HttpClient { BaseAddress = options.Instances[0], Timeout = TimeSpan.FromSeconds(15) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.AdminKey);
        for (var i = 0; i < options.Receivers; i++)
        {
            var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{options.ReceiverPort + i}/hook");
            using var created = await http.PostAsJsonAsync("/api/v1/subscriptions", new
            {
                url,
                events = ChaosEvents,
                timeout_seconds = 10,
                description = "chaos receiver " + i.ToString(CultureInfo.InvariantCulture),
            });
            if (!created.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"creating the subscription for {url} answered {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
            }

            using var json = JsonDocument.Parse(await created.Content.ReadAsStreamAsync());
            receivers.Trust(i, json.RootElement.GetProperty("id").GetGuid(), json.RootElement.GetProperty("secret").GetString()!);
        }
    }

    /// <summary>Waits (up to 5 minutes) until the script has stopped injecting faults and has everything running again.</summary>
    private static async Task<bool> WaitForFaultsToStopAsync(ChaosOptions options)
    {
        var path = Path.Combine(options.WorkDir, FaultsDoneFile);
        var clock = Stopwatch.StartNew();
        while (!File.Exists(path))
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(5))
            {
                return false;
            }

            await Task.Delay(250);
        }

        Log("faults stopped; draining");
        return true;
    }
}

/// <summary>What was found: violations fail the run; notes explain figures.</summary>
internal sealed class Verdict
{
    public List<string> Violations { get; } = [];

    public List<string> Notes { get; } = [];

    public void Violation(string what) => Violations.Add(what);

    public void Note(string what) => Notes.Add(what);

    /// <summary>Names at most 20 ids, and how many more there are.</summary>
    public static string Some(IEnumerable<string> ids)
    {
        var list = ids.ToList();
        return string.Join(", ", list.Take(20)) + (list.Count > 20 ? $" … and {list.Count - 20} more" : "");
    }
}
