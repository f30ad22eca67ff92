using System.Security.Claims;
using MediatR;
using Microsoft.AspNetCore.Authentication;
using Webhooks.Api.Admin;
using Webhooks.Application.Tenants;

namespace Webhooks.Api.Portal;

/// <summary>
/// Portal sessions (contract v3): a cookie of its own scheme, <c>HttpOnly</c>, <c>SameSite=Strict</c>, <c>Secure</c>
/// over HTTPS, sent only under /portal, lasting no longer than the link that opened it. Every request checks that link:
/// revoked or expired, the session ends there. Nothing else in the service reads this scheme, so a session never
/// reaches /admin, /hangfire or /api.
/// </summary>
internal static class PortalAuthentication
{
    public const string Scheme = "Portal";
    public const string Policy = "Portal";
    public const string CookieName = "webhooks_portal";
    public const string LinkClaim = "webhooks:portal-link";
    public const string ReadOnlyClaim = "webhooks:portal-read-only";

    public static IServiceCollection AddPortal(this IServiceCollection services)
    {
        services.AddAuthentication().AddCookie(Scheme, options =>
        {
            options.Cookie.Name = CookieName;
            options.Cookie.Path = "/portal";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.SlidingExpiration = false;
            options.Events.OnRedirectToLogin = context => Refuse(context.HttpContext, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => Refuse(context.HttpContext, StatusCodes.Status403Forbidden);
            options.Events.OnValidatePrincipal = async context =>
            {
                var link = context.Principal?.FindFirst(LinkClaim)?.Value;
                var mediator = context.HttpContext.RequestServices.GetRequiredService<IMediator>();
                if (!Guid.TryParse(link, out var id) || !await mediator.Send(new CheckPortalLink(id), context.HttpContext.RequestAborted))
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(Scheme);
                }
            };
        });
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(Scheme).RequireRole(AdminRoles.Portal));
        return services;
    }

    /// <summary>The principal of a session the link <paramref name="grant"/> describes opened.</summary>
    public static ClaimsPrincipal Principal(PortalSessionGrant grant) => new(new ClaimsIdentity(
        [.. Http.HttpCaller.ForApplication("portal", AdminRoles.Portal, grant.ApplicationId), new Claim(LinkClaim, grant.LinkId.ToString()),
            new Claim(ReadOnlyClaim, grant.ReadOnly ? "true" : "false"), new Claim("webhooks:application-name", grant.ApplicationName)],
        Scheme));

    public static bool IsReadOnly(ClaimsPrincipal user) => user.FindFirst(ReadOnlyClaim)?.Value != "false";

    private static Task Refuse(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(status == StatusCodes.Status401Unauthorized
            ? "This portal session has ended or its link was revoked. Ask for a new link."
            : "This portal link may only look, not change anything.");
    }
}
