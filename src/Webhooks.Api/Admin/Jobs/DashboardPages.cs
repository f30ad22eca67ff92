using Hangfire.Dashboard;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace Webhooks.Api.Admin.Jobs;

/// <summary>What our pages inside the Hangfire Dashboard share: registering a page and a form's anti-forgery field.</summary>
internal static class DashboardPages
{
    private static readonly Lock Adding = new();
    private static readonly HashSet<string> Added = new(StringComparer.Ordinal);

    /// <summary>
    /// Adds a page and its menu item, once per process: Hangfire's routes and menu are process-wide, and the tests
    /// start several hosts in one process.
    /// </summary>
    public static void Add(string route, string title, Func<RazorPage> page, params (string Pattern, IDashboardDispatcher Dispatcher)[] actions)
    {
        lock (Adding)
        {
            if (!Added.Add(route))
            {
                return;
            }

            DashboardRoutes.Routes.AddRazorPage(route, _ => page());
            foreach (var (pattern, dispatcher) in actions)
            {
                DashboardRoutes.Routes.Add(route + pattern, dispatcher);
            }

            NavigationMenu.Items.Add(current => new MenuItem(title, current.Url.To(route)) { Active = current.RequestPath.StartsWith(route, StringComparison.Ordinal) });
        }
    }

    /// <summary>The hidden input a form posts back so Hangfire's anti-forgery check lets it through.</summary>
    public static string AntiforgeryField(HttpContext http)
    {
        var token = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http).RequestToken!;
        var field = http.RequestServices.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.FormFieldName;
        return $"<input type=\"hidden\" name=\"{field}\" value=\"{System.Net.WebUtility.HtmlEncode(token)}\">";
    }

    /// <summary>Only POSTs from an admin key act (Hangfire has checked the anti-forgery token of every POST).</summary>
    public static bool MayAct(DashboardContext context)
    {
        var http = context.GetHttpContext();
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return false;
        }

        if (context.IsReadOnly)
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return false;
        }

        return true;
    }
}
