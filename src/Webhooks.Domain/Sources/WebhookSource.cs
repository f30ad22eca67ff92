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

    /// <summary>How often deliveries are expected; silence for longer opens an alert. Null: silence is normal.</summary>
    public TimeSpan? ExpectedEvery { get; init; }

    /// <summary>The client networks allowed to deliver; empty means any.</summary>
    public IReadOnlyList<System.Net.IPNetwork> AllowedNetworks { get; init; } = [];

    /// <summary>Whether a delivery from <paramref name="client"/> is allowed (an unknown address is not, once a list is set).</summary>
    public bool Allows(System.Net.IPAddress? client)
    {
        if (AllowedNetworks.Count == 0)
        {
            return true;
        }

        if (client is null)
        {
            return false;
        }

        var address = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
        return AllowedNetworks.Any(network => network.Contains(address));
    }

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
