using System.Globalization;
using Webhooks.Bench;

// The measuring half of build/bench.sh. Each mode prints key=value lines the script turns into one table.
return args.FirstOrDefault() switch
{
    "http-ceiling" => await HttpCeiling.RunAsync(Options.Parse(args)),
    "rabbit-ceiling" => await RabbitCeiling.RunAsync(Options.Parse(args)),
    "rabbit-latency" => await RabbitLatency.RunAsync(Options.Parse(args)),
    "gen-mix" => SignedRequests.Mix(Options.Parse(args)),
    "relay-drain" => await RelayDrain.RunAsync(Options.Parse(args)),
    "e2e" => await EndToEnd.RunAsync(Options.Parse(args)),
    "slow-bodies" => await SlowBodies.RunAsync(Options.Parse(args)),
    "outbound" => await OutboundDelivery.RunAsync(Options.Parse(args)),
    "fanout" => await FanOut.RunAsync(Options.Parse(args)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Webhooks.Bench http-ceiling|rabbit-ceiling|rabbit-latency|gen-mix|relay-drain|e2e|slow-bodies|outbound|fanout --key value …");
    return 2;
}

namespace Webhooks.Bench
{
    internal sealed class Options(Dictionary<string, string> values)
    {
        public static Options Parse(string[] args)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 1; i + 1 < args.Length; i += 2)
            {
                values[args[i].TrimStart('-')] = args[i + 1];
            }

            return new Options(values);
        }

        public string Get(string name) => values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required");

        public int Int(string name, int fallback) => values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

        public double Double(string name, double fallback) => values.TryGetValue(name, out var value) ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;
    }

    internal static class Report
    {
        public static void Line(string key, double value) => Console.WriteLine(FormattableString.Invariant($"{key}={value:0.###}"));

        public static double Percentile(List<double> sorted, double p) =>
            sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
