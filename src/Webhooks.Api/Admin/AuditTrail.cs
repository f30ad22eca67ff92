using System.Security.Claims;
using MediatR;
using Webhooks.Application.Admin.Audit;

namespace Webhooks.Api.Admin;

/// <summary>
/// Records every state-changing request an admin key made (API, dashboard and Hangfire dashboard alike) in the audit
/// log, after it was answered: which key, the method and route, the record it named, the status, the client address.
/// Reads are not recorded; unauthenticated attempts are counted by the login throttle, not here.
/// </summary>
internal sealed partial class AuditTrailMiddleware(RequestDelegate next, ILogger<AuditTrailMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context, IMediator mediator)
    {
        await next(context);

        var method = context.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
            || context.User.Identity is not { IsAuthenticated: true, AuthenticationType: AdminKeyHandler.SchemeName }
            || context.User.IsInRole(AdminRoles.Publisher)
            || IsRead(context.Request.Path))
        {
            return;
        }

        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? "";
        var values = context.Request.RouteValues;
        var target = (values.TryGetValue("id", out var id) ? id : values.TryGetValue("name", out var name) ? name : null)?.ToString();
        try
        {
            await mediator.Send(new RecordAdminAction(
                context.User.Identity.Name ?? "unknown",
                context.User.FindFirstValue(ClaimTypes.Role) ?? "",
                $"{method} {route.TrimStart('/')}",
                target,
                context.Response.StatusCode,
                context.Connection.RemoteIpAddress?.ToString()), CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The action itself happened; a lost audit row is logged, never turned into a failed answer.
            LogAuditFailed(logger, ex, method, route);
        }
    }

    /// <summary>POSTs that only read: the Hangfire dashboard polls its statistics every few seconds by POST.</summary>
    private static bool IsRead(PathString path) =>
        path.StartsWithSegments("/hangfire/stats", StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the admin action {Method} {Route} in the audit log")]
    private static partial void LogAuditFailed(ILogger logger, Exception exception, string method, string route);
}
