using System.Text.RegularExpressions;
using Webhooks.Application.Providers.StandardWebhooks;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Sources;

/// <summary>
/// Turns configured sources into <see cref="WebhookSource"/>s, and refuses — naming the key — any source that could
/// not verify its deliveries: nothing ever falls back to accepting unsigned webhooks.
/// </summary>
public static partial class SourceDefinitions
{
    public const long MaxAllowedBodyBytes = 1L << 30;
    public static readonly TimeSpan MinimumExpectedEvery = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaximumExpectedEvery = TimeSpan.FromDays(30);

    /// <summary>Every reason the source could not verify its deliveries, each naming its key under <paramref name="prefix"/>.</summary>
    /// <param name="storedCredentials">The backfill credentials the source already has stored (an admin change need not repeat them).</param>
    public static IEnumerable<string> Check(string name, SourceSettings source, string prefix = "Webhooks:Sources", IReadOnlyCollection<string>? storedCredentials = null)
    {
        var key = $"{prefix}:{name}";
        if (!NamePattern().IsMatch(name))
        {
            yield return $"{key}: a source name is its URL segment and must match [a-z0-9-]+ (lower case).";
        }

        if (!ProviderNames.TryParse(source.Provider, out var provider))
        {
            yield return $"{key}:Provider is '{source.Provider}'; expected one of {string.Join(", ", ProviderNames.All)}.";
            yield break;
        }

        if (provider != ProviderKind.PayPal && (source.Secrets.Count == 0 || source.Secrets.Any(string.IsNullOrWhiteSpace)))
        {
            yield return $"{key}:Secrets must list at least one non-empty secret.";
        }

        if (source.ToleranceSeconds is < 1 or > 86_400)
        {
            yield return $"{key}:ToleranceSeconds must be between 1 and 86400.";
        }

        if (source.MaxBodyBytes is < 1 or > MaxAllowedBodyBytes)
        {
            yield return $"{key}:MaxBodyBytes must be between 1 and {MaxAllowedBodyBytes}.";
        }

        if (source.PublicUrl is { } publicUrl && (!Uri.TryCreate(publicUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")))
        {
            yield return $"{key}:PublicUrl must be an absolute http(s) URL such as https://hooks.example.com.";
        }

        if (source.ExpectedEvery is { } every && every != TimeSpan.Zero && (every < MinimumExpectedEvery || every > MaximumExpectedEvery))
        {
            yield return $"{key}:ExpectedEvery must be between 00:01:00 and 30.00:00:00 (how long the source may stay silent before an alert opens), or 00:00:00 for none.";
        }

        foreach (var entry in source.AllowedIps ?? [])
        {
            if (Networks.Parse(entry) is null)
            {
                yield return $"{key}:AllowedIps has '{entry}', which is neither an IP address nor a CIDR range such as 203.0.113.0/24.";
            }
        }

        foreach (var failure in source.Backfill is { } backfill ? Backfill.BackfillDefinitions.Check($"{key}:Backfill", provider, backfill, storedCredentials) : [])
        {
            yield return failure;
        }

        if (provider == ProviderKind.StandardWebhooks && source.Secrets.Any(secret => !string.IsNullOrWhiteSpace(secret) && StandardWebhooksSignature.Key(secret) is null))
        {
            yield return $"{key}:Secrets must be Standard Webhooks secrets: whsec_ followed by the base64 of at least {StandardWebhooksSignature.MinimumKeyBytes} bytes.";
        }

        if (provider == ProviderKind.PayPal)
        {
            if (string.IsNullOrWhiteSpace(source.WebhookId))
            {
                yield return $"{key}:WebhookId is required for PayPal.";
            }

            if (string.IsNullOrWhiteSpace(source.CertificatePath))
            {
                yield return $"{key}:CertificatePath is required for PayPal (the trusted signing certificate, PEM).";
            }
            else if (!File.Exists(source.CertificatePath))
            {
                yield return $"{key}:CertificatePath '{source.CertificatePath}' does not exist.";
            }
        }

        if (provider == ProviderKind.Hmac)
        {
            if (string.IsNullOrWhiteSpace(source.SignatureHeader))
            {
                yield return $"{key}:SignatureHeader is required for the hmac provider.";
            }

            if (source.Algorithm is not (null or "sha256" or "sha1" or "sha512"))
            {
                yield return $"{key}:Algorithm must be sha256, sha1 or sha512.";
            }

            if (source.Encoding is not (null or "hex" or "base64"))
            {
                yield return $"{key}:Encoding must be hex or base64.";
            }

            var template = source.SignedPayload ?? "{body}";
            if (!template.Contains("{body}", StringComparison.Ordinal))
            {
                yield return $"{key}:SignedPayload must include {{body}}.";
            }

            if (template.Contains("{timestamp}", StringComparison.Ordinal) && string.IsNullOrWhiteSpace(source.TimestampHeader))
            {
                yield return $"{key}:TimestampHeader is required when SignedPayload uses {{timestamp}}.";
            }

            if (!string.IsNullOrWhiteSpace(source.TimestampHeader) && !template.Contains("{timestamp}", StringComparison.Ordinal))
            {
                // Else the tolerance check would run on a value the signature does not cover: anyone could refresh it.
                yield return $"{key}:SignedPayload must include {{timestamp}} when TimestampHeader is set.";
            }

            if (template.Contains("{type}", StringComparison.Ordinal) && string.IsNullOrWhiteSpace(source.EventTypeHeader))
            {
                yield return $"{key}:EventTypeHeader is required when SignedPayload uses {{type}}.";
            }

            if (template.Contains("{id}", StringComparison.Ordinal) && string.IsNullOrWhiteSpace(source.IdHeader))
            {
                yield return $"{key}:IdHeader is required when SignedPayload uses {{id}}.";
            }
        }
    }

    public static WebhookSource ToSource(string name, SourceSettings options)
    {
        if (!ProviderNames.TryParse(options.Provider, out var provider))
        {
            throw new ArgumentException($"Webhooks:Sources:{name}:Provider '{options.Provider}' is not a known provider.", nameof(options));
        }

        return new WebhookSource
        {
            Name = name,
            Provider = provider,
            Secrets = options.Secrets.ToArray(),
            ToleranceSeconds = options.ToleranceSeconds ?? WebhookSource.DefaultToleranceSeconds,
            Enabled = options.Enabled ?? true,
            MaxBodyBytes = options.MaxBodyBytes ?? WebhookSource.DefaultMaxBodyBytes,
            PublicUrl = options.PublicUrl,
            WebhookId = options.WebhookId,
            CertificatePath = options.CertificatePath,
            ExpectedEvery = options.ExpectedEvery is { } every && every > TimeSpan.Zero ? every : null,
            AllowedNetworks = (options.AllowedIps ?? []).Select(Networks.Parse).OfType<System.Net.IPNetwork>().ToArray(),
            Hmac = provider == ProviderKind.Hmac
                ? new HmacScheme(
                    options.SignatureHeader!,
                    options.TimestampHeader,
                    options.IdHeader,
                    options.EventTypeHeader,
                    options.Algorithm ?? "sha256",
                    options.Encoding ?? "hex",
                    options.Prefix,
                    options.SignedPayload ?? "{body}")
                : null,
        };
    }

    [GeneratedRegex("^[a-z0-9-]+\\z")] // \z, not $: $ also matches before a final newline
    private static partial Regex NamePattern();
}
