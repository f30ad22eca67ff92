namespace Webhooks.Domain.Sources;

/// <summary>An inbound source: the URL segment providers post to, how they sign, and the limits that apply.</summary>
public sealed record WebhookSource
{
    public const int DefaultToleranceSeconds = 300;
    public const long DefaultMaxBodyBytes = 10 * 1024 * 1024;

    public required string Name { get; init; }
    public required ProviderKind Provider { get; init; }
    public required IReadOnlyList<string> Secrets { get; init; }
    public int ToleranceSeconds { get; init; } = DefaultToleranceSeconds;
    public bool Enabled { get; init; } = true;
    public long MaxBodyBytes { get; init; } = DefaultMaxBodyBytes;
    public string? PublicUrl { get; init; }
    public string? WebhookId { get; init; }
    public string? CertificatePath { get; init; }
    public HmacScheme? Hmac { get; init; }

    public TimeSpan Tolerance => TimeSpan.FromSeconds(ToleranceSeconds);
}

/// <summary>The generic HMAC scheme: enough to describe senders that sign with a shared secret.</summary>
public sealed record HmacScheme(
    string SignatureHeader,
    string? TimestampHeader,
    string? IdHeader,
    string? EventTypeHeader,
    string Algorithm,
    string Encoding,
    string? Prefix,
    string SignedPayload);
