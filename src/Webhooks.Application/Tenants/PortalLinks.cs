using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Domain.Tenants;

namespace Webhooks.Application.Tenants;

/// <summary>A link to the partner portal for the application, valid for <paramref name="ExpiresInSeconds"/> (default an hour).</summary>
public sealed record CreatePortalLink(string Application, int? ExpiresInSeconds, bool? ReadOnly) : IRequest<PortalLinkCreated>, IApplicationScoped, ITransactionalCommand;

/// <summary>Revokes a portal link; the sessions it opened end with it.</summary>
public sealed record RevokePortalLink(string Application, Guid LinkId) : IRequest<Unit>, IApplicationScoped, ITransactionalCommand;

internal sealed class CreatePortalLinkValidator : AbstractValidator<CreatePortalLink>
{
    public CreatePortalLinkValidator() =>
        RuleFor(c => c.ExpiresInSeconds).InclusiveBetween(1, PortalLink.MaxLifetimeSeconds)
            .WithMessage($"expires_in_seconds must be between 1 and {PortalLink.MaxLifetimeSeconds} (7 days).");
}

internal sealed class CreatePortalLinkHandler(IWebhooksDbContext db, ApplicationScope scope, TimeProvider clock) : IRequestHandler<CreatePortalLink, PortalLinkCreated>
{
    public const string PortalPath = "/portal/";

    public async Task<PortalLinkCreated> Handle(CreatePortalLink command, CancellationToken cancellationToken)
    {
        var tenant = await db.TenantLocked(scope.Id!.Value).Include(t => t.PortalLinks).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("Application", command.Application);
        var now = clock.GetUtcNow();
        var (link, token) = tenant.OpenPortalLink(now.AddSeconds(command.ExpiresInSeconds ?? 3600), command.ReadOnly ?? false, now);
        await db.SaveChangesAsync(cancellationToken);
        return new PortalLinkCreated(link.Id, PortalPath + token, link.ExpiresAt, link.ReadOnly);
    }
}

internal sealed class RevokePortalLinkHandler(IWebhooksDbContext db, ApplicationScope scope, TimeProvider clock) : IRequestHandler<RevokePortalLink, Unit>
{
    public async Task<Unit> Handle(RevokePortalLink command, CancellationToken cancellationToken)
    {
        var tenant = await db.TenantLocked(scope.Id!.Value).Include(t => t.PortalLinks).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("Application", command.Application);
        if (!tenant.RevokePortalLink(command.LinkId, clock.GetUtcNow()))
        {
            throw new NotFoundException("Portal link", command.LinkId);
        }

        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
