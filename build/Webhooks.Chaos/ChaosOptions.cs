using System.Globalization;

namespace Webhooks.Chaos;

/// <summary>What build/chaos.sh passes: where everything is, how much load, how long to wait for the drain.</summary>
internal sealed record ChaosOptions
{
    public required IReadOnlyList<Uri> Instances { get; init; }

    public required string Amqp { get; init; }

    public required string Postgres { get; init; }

    public required string AdminKey { get; init; }

    public required string PublisherKey { get; init; }

    /// <summary>The secret of the instances' shopify source.</summary>
    public required string ShopifySecret { get; init; }

    /// <summary>The run folder shared with the script: its hand-over files and the instances' PID files.</summary>
    public required string WorkDir { get; init; }

    public TimeSpan Load { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Signed Shopify orders/create webhooks started per second.</summary>
    public double Rate { get; init; } = 40;

    /// <summary>Outbound events published per second (each goes to every subscription).</summary>
    public double OutboundRate { get; init; } = 10;

    /// <summary>The first receiver's port; receiver i listens on ReceiverPort + i.</summary>
    public int ReceiverPort { get; init; } = 26100;

    public int Receivers { get; init; } = 3;

    /// <summary>How long, after the faults have stopped, the relay and the deliveries may take to drain.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(150);

    public int Seed { get; init; }

    /// <summary>
    /// Wait for delivery leases held by lost workers to lapse by themselves (the subscription timeout plus 60 s in the service) instead of
    /// moving them to now once they are seen to be orphaned.
    /// </summary>
    public bool WaitLeases { get; init; }

    public static ChaosOptions Parse(ReadOnlySpan<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"expected --key value, got '{args[i]}'");
            }

            values[args[i][2..]] = args[i + 1];
        }

        string Get(string name) => values.Remove(name, out var value) ? value : throw new ArgumentException($"--{name} is required");
        double Number(string name, double fallback) => values.Remove(name, out var value) ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;

        var options = new ChaosOptions
        {
            Instances = [.. Get("api").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(url => new Uri(url))],
            Amqp = Get("amqp"),
            Postgres = Get("pg"),
            AdminKey = Get("admin-key"),
            PublisherKey = Get("publisher-key"),
            ShopifySecret = Get("secret"),
            WorkDir = Get("work"),
            Load = TimeSpan.FromSeconds(Number("seconds", 90)),
            Rate = Number("rate", 40),
            OutboundRate = Number("outbound-rate", 10),
            ReceiverPort = (int)Number("receiver-port", 26100),
            Receivers = (int)Number("receivers", 3),
            Drain = TimeSpan.FromSeconds(Number("drain-seconds", 150)),
            Seed = (int)Number("seed", 1),
            WaitLeases = values.Remove("wait-leases", out var wait) && bool.Parse(wait),
        };
        if (values.Count > 0)
        {
            throw new ArgumentException($"unknown option --{values.Keys.First()}");
        }

        if (options.Instances.Count == 0 || options.Receivers < 1 || options.Rate <= 0 || options.OutboundRate < 0)
        {
            throw new ArgumentException("--api needs at least one URL, --receivers at least 1, --rate more than 0");
        }

        return options;
    }
}
