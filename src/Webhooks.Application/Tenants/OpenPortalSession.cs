using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Domain.Tenants;

namespace Webhooks.Application.Tenants;

/// <summary>Opening a portal link: what the session it starts may see and do, or why the link opens nothing.</summary>
public sealed record OpenPortalSession(string Token) : IRequest<PortalSessionGrant>;

/// <summary>Whether the link a portal session was opened with still works (each portal request asks).</summary>
public sealed record CheckPortalLink(Guid LinkId) : IRequest<bool>;

/// <param name="Refusal">Why the link opens nothing (<see cref="PortalRefusal"/>); null when it opened a session.</param>
public sealed record PortalSessionGrant(PortalRefusal? Refusal, Guid LinkId = default, Guid ApplicationId = default, string ApplicationName = "", bool ReadOnly = true, DateTimeOffset ExpiresAt = default);

public enum PortalRefusal
{
    /// <summary>No such link (401).</summary>
    Unknown,

    /// <summary>The link expired or was revoked (410).</summary>
    Gone,
}

internal sealed class OpenPortalSessionHandler(IWebhooksDbContext db, TimeProvider clock) : IRequestHandler<OpenPortalSession, PortalSessionGrant>
{
    /// <summary>The token's length: 32 random bytes, base64url. Anything else is no token and costs no query.</summary>
    private const int TokenLength = 43;

    public async Task<PortalSessionGrant> Handle(OpenPortalSession query, CancellationToken cancellationToken)
    {
        if (query.Token.Length != TokenLength)
        {
            return new PortalSessionGrant(PortalRefusal.Unknown);
        }

        var hash = Tenant.Hash(query.Token);
        var found = await db.Tenants.AsNoTracking()
            .SelectMany(t => t.PortalLinks.Where(l => l.TokenHash == hash).Select(l => new { Link = l, t.Name }))
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return new PortalSessionGrant(PortalRefusal.Unknown);
        }

        return found.Link.IsUsable(clock.GetUtcNow())
            ? new PortalSessionGrant(null, found.Link.Id, found.Link.ApplicationId, found.Name, found.Link.ReadOnly, found.Link.ExpiresAt)
            : new PortalSessionGrant(PortalRefusal.Gone);
    }
}

internal sealed class CheckPortalLinkHandler(IWebhooksDbContext db, TimeProvider clock) : IRequestHandler<CheckPortalLink, bool>
{
    public async Task<bool> Handle(CheckPortalLink query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await db.Tenants.AsNoTracking().SelectMany(t => t.PortalLinks)
            .AnyAsync(l => l.Id == query.LinkId && l.RevokedAt == null && l.ExpiresAt > now, cancellationToken);
    }
}
