using System.Globalization;

namespace Webhooks.Api;

/// <summary>
/// The environment variables of the Python service this gateway replaces (seed 000), accepted so a team can cut over
/// with its deployment unchanged, each mapped onto this configuration where that key is not set already, and each
/// named in a log line at start-up: SHOPIFY_WEBHOOK_SECRET and STRIPE_WEBHOOK_SECRET become the sources shopify and
/// stripe, MAX_PAYLOAD_SIZE_MB their body limit, DEDUP_TTL_HOURS the inbox retention when it asks for longer than it
/// (duplicates are detected for as long as the inbox keeps a webhook, 30 days by default — never shorter than asked).
/// </summary>
internal static class LegacyVariables
{
    private static readonly string[] Sources = ["shopify", "stripe"];

    /// <summary>Adds the mapped keys to <paramref name="configuration"/>; answers what each variable became, for the log.</summary>
    public static IReadOnlyList<string> Apply(ConfigurationManager configuration) => Apply(configuration, Environment.GetEnvironmentVariable);

    /// <param name="environment">Reads an environment variable (the process's, or a test's).</param>
    internal static IReadOnlyList<string> Apply(ConfigurationManager configuration, Func<string, string?> environment)
    {
        var mapped = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var said = new List<string>();
        foreach (var source in Sources)
        {
            var variable = source.ToUpperInvariant() + "_WEBHOOK_SECRET";
            if (environment(variable) is not { Length: > 0 } secret)
            {
                continue;
            }

            var key = $"Webhooks:Sources:{source}";
            if (configuration.GetSection(key).Exists())
            {
                said.Add($"{variable} is set but {key} is configured too: {key} is used");
                continue;
            }

            mapped[$"{key}:Provider"] = source;
            mapped[$"{key}:Secrets:0"] = secret;
            said.Add($"{variable} → {key} (provider {source}, POST /api/v1/webhooks/{source})");
        }

        if (environment("MAX_PAYLOAD_SIZE_MB") is { Length: > 0 } megabytes)
        {
            if (int.TryParse(megabytes, NumberStyles.None, CultureInfo.InvariantCulture, out var mb) && mb is > 0 and <= 1024)
            {
                foreach (var source in Sources.Where(s => mapped.ContainsKey($"Webhooks:Sources:{s}:Provider")))
                {
                    mapped[$"Webhooks:Sources:{source}:MaxBodyBytes"] = (mb * 1024L * 1024L).ToString(CultureInfo.InvariantCulture);
                }

                said.Add($"MAX_PAYLOAD_SIZE_MB={mb} → Webhooks:Sources:{{shopify,stripe}}:MaxBodyBytes (other sources set MaxBodyBytes themselves)");
            }
            else
            {
                throw new InvalidOperationException($"MAX_PAYLOAD_SIZE_MB must be a whole number of megabytes from 1 to 1024, not '{megabytes}'.");
            }
        }

        if (environment("DEDUP_TTL_HOURS") is { Length: > 0 } hours)
        {
            if (!int.TryParse(hours, NumberStyles.None, CultureInfo.InvariantCulture, out var h) || h <= 0)
            {
                throw new InvalidOperationException($"DEDUP_TTL_HOURS must be a whole number of hours, not '{hours}'.");
            }

            var retention = configuration["Webhooks:Retention:Inbox"] is { } configured ? TimeSpan.Parse(configured, CultureInfo.InvariantCulture) : TimeSpan.FromDays(30);
            if (TimeSpan.FromHours(h) > retention)
            {
                mapped["Webhooks:Retention:Inbox"] = TimeSpan.FromHours(h).ToString("c", CultureInfo.InvariantCulture);
                said.Add($"DEDUP_TTL_HOURS={h} → Webhooks:Retention:Inbox {TimeSpan.FromHours(h):c} (duplicates are detected while the inbox keeps a webhook)");
            }
            else
            {
                said.Add($"DEDUP_TTL_HOURS={h}: duplicates are detected for the inbox retention, {retention:c}, already longer");
            }
        }

        if (mapped.Count > 0)
        {
            configuration.AddInMemoryCollection(mapped);
        }

        return said;
    }
}
