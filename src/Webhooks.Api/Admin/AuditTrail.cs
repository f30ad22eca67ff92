using System.Security.Claims;
using MediatR;
using Webhooks.Application.Admin.Audit;

namespace Webhooks.Api.Admin;

/// <summary>
/// Records every state-changing request an admin key made (API, dashboard and Hangfire dashboard alike) in the audit
/// log — which key, the method and route, the record it named, the client address — and every read of a stored body
/// (personal data: endpoints marked <see cref="AuditedReadAttribute"/>). A change is recorded in its own transaction,
/// just before it commits (<see cref="AdminActionContext"/>), so no change is without its row; what commits nothing
/// (a refusal, a failure, a read) is recorded here after the answer, with its status. Unauthenticated attempts are
/// counted by the login throttle, not here.
/// </summary>
internal sealed partial class AuditTrailMiddleware(RequestDelegate next, ILogger<AuditTrailMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context, IMediator mediator, AdminActionContext actions)
    {
        actions.Describe(() => Describe(context)); // evaluated at commit time, once the request is authenticated
        await next(context);

        if (actions.Recorded || Describe(context) is not { } action)
        {
            return;
        }

        try
        {
            await mediator.Send(new RecordAdminAction(action.Actor, action.Role, action.Action, action.Target, context.Response.StatusCode, action.ClientAddress), CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Nothing was committed with it; a lost audit row is logged, never turned into a failed answer.
            LogAuditFailed(logger, ex, action.Action);
        }
    }

    /// <summary>The audited action this request is, or null: reads (but of stored bodies) and unauthenticated requests are not.</summary>
    private static AdminAction? Describe(HttpContext context)
    {
        var method = context.Request.Method;
        var readsBody = context.GetEndpoint()?.Metadata.GetMetadata<AuditedReadAttribute>() is not null;
        var reads = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || IsRead(context.Request.Path);
        if ((reads && !readsBody)
            || context.User.Identity is not { IsAuthenticated: true, AuthenticationType: AdminKeyHandler.SchemeName }
            || context.User.IsInRole(AdminRoles.Publisher))
        {
            return null;
        }

        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? "";
        var values = context.Request.RouteValues;
        var target = (values.TryGetValue("id", out var id) ? id : values.TryGetValue("name", out var name) ? name : null)?.ToString();
        return new AdminAction(
            context.User.Identity.Name ?? "unknown",
            context.User.FindFirstValue(ClaimTypes.Role) ?? "",
            $"{method} {route.TrimStart('/')}",
            target,
            context.Connection.RemoteIpAddress?.ToString());
    }

    /// <summary>POSTs that only read: the Hangfire dashboard polls its statistics every few seconds by POST.</summary>
    private static bool IsRead(PathString path) =>
        path.StartsWithSegments("/hangfire/stats", StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the admin action {Action} in the audit log")]
    private static partial void LogAuditFailed(ILogger logger, Exception exception, string action);
}

/// <summary>An endpoint that shows stored bodies (personal data): each read is recorded in the audit log.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AuditedReadAttribute : Attribute;
