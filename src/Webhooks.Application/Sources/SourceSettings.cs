namespace Webhooks.Application.Sources;

/// <summary>One entry of Webhooks:Sources:{name} (docs/contract.md, Inbound sources).</summary>
public class SourceSettings
{
    public string? Provider { get; set; }
    public List<string> Secrets { get; set; } = [];
    public int? ToleranceSeconds { get; set; }
    public bool? Enabled { get; set; }
    public long? MaxBodyBytes { get; set; }
    public string? PublicUrl { get; set; }
    public string? WebhookId { get; set; }
    public string? CertificatePath { get; set; }
    public string? SignatureHeader { get; set; }
    public string? TimestampHeader { get; set; }
    public string? IdHeader { get; set; }
    public string? EventTypeHeader { get; set; }
    public string? Algorithm { get; set; }
    public string? Encoding { get; set; }
    public string? Prefix { get; set; }
    public string? SignedPayload { get; set; }

    /// <summary>When set, only these client addresses or CIDR ranges may deliver (others get 403).</summary>
    public List<string>? AllowedIps { get; set; }

    /// <summary>
    /// When set, a source that accepts nothing for this long opens a silent-source alert (e.g. "01:00:00");
    /// "00:00:00" removes it (a PATCH leaves out what it does not set).
    /// </summary>
    public TimeSpan? ExpectedEvery { get; set; }

    /// <summary>Recovering what the provider never resends (github, stripe); its secrets are kept apart, encrypted.</summary>
    public BackfillSettings? Backfill { get; set; }
}

/// <summary>A source created through the admin API: its settings and its URL segment.</summary>
public sealed class NewSource : SourceSettings
{
    public string? Name { get; set; }
}

/// <summary>Copies of settings: what the admin API merges, what the store keeps apart from the secrets.</summary>
public static class SourceSettingsExtensions
{
    /// <summary>The settings of <paramref name="current"/> overlaid with every field <paramref name="patch"/> sets.</summary>
    public static SourceSettings Merge(this SourceSettings current, SourceSettings patch) => new()
    {
        Provider = patch.Provider ?? current.Provider,
        Secrets = patch.Secrets.Count > 0 ? [.. patch.Secrets] : [.. current.Secrets],
        ToleranceSeconds = patch.ToleranceSeconds ?? current.ToleranceSeconds,
        Enabled = patch.Enabled ?? current.Enabled,
        MaxBodyBytes = patch.MaxBodyBytes ?? current.MaxBodyBytes,
        PublicUrl = patch.PublicUrl ?? current.PublicUrl,
        WebhookId = patch.WebhookId ?? current.WebhookId,
        CertificatePath = patch.CertificatePath ?? current.CertificatePath,
        SignatureHeader = patch.SignatureHeader ?? current.SignatureHeader,
        TimestampHeader = patch.TimestampHeader ?? current.TimestampHeader,
        IdHeader = patch.IdHeader ?? current.IdHeader,
        EventTypeHeader = patch.EventTypeHeader ?? current.EventTypeHeader,
        Algorithm = patch.Algorithm ?? current.Algorithm,
        Encoding = patch.Encoding ?? current.Encoding,
        Prefix = patch.Prefix ?? current.Prefix,
        SignedPayload = patch.SignedPayload ?? current.SignedPayload,
        AllowedIps = patch.AllowedIps is { } allowed ? [.. allowed] : current.AllowedIps is { } kept ? [.. kept] : null,
        ExpectedEvery = patch.ExpectedEvery ?? current.ExpectedEvery,
        Backfill = current.Backfill is { } backfill ? backfill.Merge(patch.Backfill) : patch.Backfill is { } added ? new BackfillSettings().Merge(added) : null,
    };

    private static readonly System.Text.Json.JsonSerializerOptions StoredJson =
        new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The settings as the sources table keeps them: JSON, without secrets.</summary>
    public static string ToStoredJson(this SourceSettings options) => System.Text.Json.JsonSerializer.Serialize(options.WithoutSecrets(), StoredJson);

    /// <summary>Reads what <see cref="ToStoredJson"/> wrote.</summary>
    public static SourceSettings FromStoredJson(string json) =>
        System.Text.Json.JsonSerializer.Deserialize<SourceSettings>(json, StoredJson) ?? new SourceSettings();

    /// <summary>The same settings without any secret (the backfill's credentials included).</summary>
    public static SourceSettings WithoutSecrets(this SourceSettings options)
    {
        var copy = new SourceSettings().Merge(options);
        copy.Secrets.Clear();
        copy.Backfill = copy.Backfill?.WithoutCredentials();
        return copy;
    }
}
