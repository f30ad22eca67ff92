using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Webhooks.Application.Delivery;

namespace Webhooks.Infrastructure.Delivery;

/// <summary>
/// Subscriptions' secrets and custom headers, encrypted with Data Protection. Custom headers are where receivers'
/// credentials go, so they are stored like the secrets (a JSON string of the protected header map). The key ring lives
/// in the same database (ADR 0006): protect dumps and backups, or protect the ring with a key kept elsewhere.
/// </summary>
internal sealed class SubscriptionProtector(IDataProtectionProvider protection) : ISubscriptionProtector
{
    public const string Purpose = "Webhooks.Subscriptions.Secrets.v1";
    private readonly IDataProtector protector = protection.CreateProtector(Purpose);

    public string Protect(string secret) => protector.Protect(secret);

    /// <summary>The secret in clear, or null when its key is gone from the ring (the remaining secrets still sign).</summary>
    public string? Unprotect(string stored)
    {
        try
        {
            return protector.Unprotect(stored);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public string ProtectHeaders(IReadOnlyDictionary<string, string>? headers) =>
        JsonSerializer.Serialize(protector.Protect(JsonSerializer.Serialize(headers ?? new Dictionary<string, string>())));

    /// <summary>Reads what <see cref="ProtectHeaders"/> wrote, and the plain JSON objects stored before it.</summary>
    public IReadOnlyDictionary<string, string> UnprotectHeaders(string stored)
    {
        using var document = JsonDocument.Parse(stored);
        try
        {
            var json = document.RootElement.ValueKind == JsonValueKind.String ? protector.Unprotect(document.RootElement.GetString()!) : stored;
            return JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
        }
        catch (CryptographicException)
        {
            // Its key is gone from the ring: the delivery goes without them (and fails visibly at the receiver),
            // rather than stopping every delivery.
            return new Dictionary<string, string>();
        }
    }
}
