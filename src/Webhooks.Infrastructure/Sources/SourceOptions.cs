namespace Webhooks.Infrastructure.Sources;

/// <summary>One entry of Webhooks:Sources:{name} (CONTRACT.md, Inbound sources).</summary>
public sealed class SourceOptions
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
}

/// <summary>Webhooks:Sources, keyed by the URL segment.</summary>
public sealed class SourcesOptions
{
    public Dictionary<string, SourceOptions> Items { get; } = new(StringComparer.Ordinal);
}
