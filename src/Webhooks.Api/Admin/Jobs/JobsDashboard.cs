using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authentication;

namespace Webhooks.Api.Admin.Jobs;

/// <summary>
/// The Hangfire Dashboard at /hangfire, for admin keys only: its standard pages (jobs, retries, recurring jobs,
/// servers) and two of ours inside it, Dead letters and Relay. Log in as on /admin (HTTP Basic, user admin, a key as
/// the password; or Bearer); read-only keys see it but cannot act. Its POSTs carry the anti-forgery token.
/// </summary>
internal static class JobsDashboard
{
    public const string Path = "/hangfire";

    public static WebApplication MapJobsDashboard(this WebApplication app)
    {
        DeadLettersPage.Register();
        RelayPage.Register();
        AlertsPage.Register();
        TrafficPage.Register();
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase),
            branch => branch.UseMiddleware<DashboardLogin>());
        app.UseHangfireDashboard(Path, new DashboardOptions
        {
            AsyncAuthorization = [new AdminKeyRequired()],
            IsReadOnlyFunc = context => !context.GetHttpContext().User.IsInRole(AdminRoles.Admin),
            AppPath = "/admin",
            DashboardTitle = "Webhooks — jobs",
            DisplayStorageConnectionString = false,
        });
        return app;
    }

    /// <summary>Authenticates /hangfire with the admin scheme, and challenges (Basic prompt, or 429) when that fails.</summary>
    private sealed class DashboardLogin(RequestDelegate next)
    {
        public async Task InvokeAsync(HttpContext context)
        {
            var login = await context.AuthenticateAsync(AdminKeyHandler.SchemeName);
            if (!login.Succeeded)
            {
                await context.ChallengeAsync(AdminKeyHandler.SchemeName);
                return;
            }

            if (login.Principal.IsInRole(AdminRoles.Publisher))
            {
                await context.ForbidAsync(AdminKeyHandler.SchemeName);
                return;
            }

            context.User = login.Principal;
            await DeadLettersPage.PrepareAsync(context, Path);
            await next(context);
        }
    }

    private sealed class AdminKeyRequired : IDashboardAsyncAuthorizationFilter
    {
        public Task<bool> AuthorizeAsync(DashboardContext context)
        {
            var user = context.GetHttpContext().User;
            return Task.FromResult(user.Identity is { IsAuthenticated: true, AuthenticationType: AdminKeyHandler.SchemeName }
                && (user.IsInRole(AdminRoles.Admin) || user.IsInRole(AdminRoles.ReadOnly)));
        }
    }
}
