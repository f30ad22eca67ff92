using System.Security.Claims;
using Webhooks.Api.Admin;
using Webhooks.Application.Common.Abstractions;

namespace Webhooks.Api.Http;

/// <summary>The current request's caller, from the credentials its authentication accepted.</summary>
internal sealed class HttpCaller(IHttpContextAccessor http) : ICaller
{
    /// <summary>The claim that names the application an application key or a portal session acts for.</summary>
    public const string ApplicationClaim = "webhooks:application";

    public CallerKind Kind => http.HttpContext?.User is not { } user ? CallerKind.System
        : user.Identity?.IsAuthenticated != true ? CallerKind.Anonymous
        : user.IsInRole(AdminRoles.Application) ? CallerKind.ApplicationKey
        : user.IsInRole(AdminRoles.Portal) ? CallerKind.Portal
        : CallerKind.Operator;

    public Guid? ApplicationId => http.HttpContext?.User.FindFirst(ApplicationClaim) is { } claim && Guid.TryParse(claim.Value, out var id) ? id : null;

    /// <summary>The claims of a caller acting for one application.</summary>
    public static Claim[] ForApplication(string name, string role, Guid application) =>
        [new(ClaimTypes.Name, name), new(ClaimTypes.Role, role), new(ApplicationClaim, application.ToString())];
}
