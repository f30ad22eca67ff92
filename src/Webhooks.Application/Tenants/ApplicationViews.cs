using Webhooks.Domain.Tenants;

namespace Webhooks.Application.Tenants;

/// <summary>An application as the API shows it.</summary>
public sealed record ApplicationView(Guid Id, string Uid, string Name, DateTimeOffset CreatedAt)
{
    public static ApplicationView From(Tenant t) => new(t.Id, t.Uid, t.Name, t.CreatedAt);
}

/// <summary>A new application key: <see cref="Key"/> is shown this once.</summary>
public sealed record ApplicationKeyCreated(Guid Id, string Name, string Key);

/// <summary>A new portal link: <see cref="Url"/> (with its token) is shown this once.</summary>
public sealed record PortalLinkCreated(Guid Id, string Url, DateTimeOffset ExpiresAt, bool ReadOnly);

/// <summary>What a filter let through of the application's recent events (nothing was sent).</summary>
public sealed record FilterTestResult(IReadOnlyList<string> Matched, int Tested);
