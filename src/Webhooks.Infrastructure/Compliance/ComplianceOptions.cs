using System.ComponentModel.DataAnnotations;

namespace Webhooks.Infrastructure.Compliance;

/// <summary>Webhooks:Compliance — carrying out Shopify's redact requests on the gateway's own stored copies.</summary>
public sealed class ComplianceOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>How often each instance looks for redact requests not yet carried out.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
}
