using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;
using MediatR;

namespace Webhooks.Api.Admin.Jobs;

/// <summary>
/// Dead letters inside the Hangfire Dashboard: the relay's dead letters and the dead outbound deliveries side by side,
/// drawn by the same partial view as /admin's page (<see cref="FailedWork"/>), whose forms post to the /admin actions —
/// one implementation of the lists and their actions. The view is rendered asynchronously before Hangfire's
/// synchronous page runs (<see cref="PrepareAsync"/>), which only writes it into Hangfire's layout.
/// </summary>
internal sealed class DeadLettersPage : RazorPage
{
    public const string Route = "/dead-letters";
    private const string Rendered = "webhooks.hangfire.dead-letters";

    public static void Register() => DashboardPages.Add(Route, "Dead letters", () => new DeadLettersPage());

    /// <summary>For a GET of this page, loads the lists and renders them (the dashboard's login ran before).</summary>
    public static async Task PrepareAsync(HttpContext http, string dashboardPath)
    {
        if (!HttpMethods.IsGet(http.Request.Method) || !http.Request.Path.Equals(dashboardPath + Route, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var work = await FailedWork.LoadAsync(
            http.RequestServices.GetRequiredService<IMediator>(), http.Request.Query, dashboardPath + Route, http.User.IsInRole(AdminRoles.Admin), http.RequestAborted);
        http.Items[Rendered] = await RazorFragments.RenderAsync(http, FailedWork.View, work);
    }

    public override void Execute()
    {
        Layout = new LayoutPage("Dead letters");
        WriteLiteral("<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Dead letters</h1>");
        WriteLiteral(Context.GetHttpContext().Items[Rendered] as string ?? "");
        WriteLiteral("</div></div>");
    }
}
