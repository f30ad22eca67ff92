using MediatR;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Tenants;

/// <summary>
/// The one place application scoping is enforced (contract v3): an application key or a portal session may only send
/// requests that name its own application, and anything else it sends is refused with 403 — a valid key used out of
/// scope, not a failed credential. An operator's request that names an application acts within it; one that names
/// none sees every application.
/// </summary>
internal sealed class ApplicationScopeBehavior<TRequest, TResponse>(ICaller caller, ApplicationScope scope, ITenantDirectory tenants) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var named = (request as IApplicationScoped)?.Application;
        if (caller.ApplicationId is { } own)
        {
            if (named is null)
            {
                throw new ForbiddenException("This key acts for one application: use the routes under /api/v1/applications/{app}/.");
            }

            var tenant = await tenants.FindAsync(named, cancellationToken);
            if (tenant != own)
            {
                throw new ForbiddenException("This key belongs to another application.");
            }

            scope.Id = own;
        }
        else if (named is not null)
        {
            scope.Id = await tenants.FindAsync(named, cancellationToken) ?? throw new NotFoundException("Application", named);
        }

        return await next();
    }
}
