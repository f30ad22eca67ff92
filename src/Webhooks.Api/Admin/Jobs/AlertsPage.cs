using System.Globalization;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;
using MediatR;
using Webhooks.Application.Admin.Alerts;

namespace Webhooks.Api.Admin.Jobs;

/// <summary>
/// Alerts inside the Hangfire Dashboard (where the evaluator runs as a recurring job, and where every alert's
/// <c>dashboard_url</c> points): the active ones first, each with acknowledge and resolve.
/// </summary>
internal sealed class AlertsPage : RazorPage
{
    public const string Route = "/alerts";

    public static void Register() => DashboardPages.Add(Route, "Alerts", () => new AlertsPage(),
        ("/(?<id>[0-9a-fA-F-]{36})/(?<action>acknowledge|resolve)", new Act()));

    public override void Execute()
    {
        Layout = new LayoutPage("Alerts");
        var http = Context.GetHttpContext();
        var mediator = http.RequestServices.GetRequiredService<IMediator>();
        var active = new List<AlertView>();
        foreach (var status in new[] { "open", "acknowledged" })
        {
            active.AddRange(mediator.Send(new ListAlerts(status, null, null, null, 100), http.RequestAborted).GetAwaiter().GetResult().Items);
        }

        var recent = mediator.Send(new ListAlerts("resolved", null, null, null, 20), http.RequestAborted).GetAwaiter().GetResult().Items;
        var field = DashboardPages.AntiforgeryField(http);

        WriteLiteral("<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Alerts</h1>");
        WriteLiteral("<h3>Active</h3>");
        Table(active, actions: !IsReadOnly, field);
        WriteLiteral("<h3>Recently resolved</h3>");
        Table(recent, actions: false, field);
        WriteLiteral("</div></div>");
    }

    private void Table(IReadOnlyList<AlertView> alerts, bool actions, string antiforgeryField)
    {
        if (alerts.Count == 0)
        {
            WriteLiteral("<p>None.</p>");
            return;
        }

        WriteLiteral("<table class=\"table table-striped\"><thead><tr><th>opened</th><th>kind</th><th>severity</th><th>status</th><th>about</th><th>value</th><th>threshold</th><th>resolved</th><th></th></tr></thead><tbody>");
        foreach (var alert in alerts)
        {
            WriteLiteral("<tr><td>");
            Write(alert.OpenedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            WriteLiteral("</td><td>");
            Write(alert.Kind);
            WriteLiteral(alert.Severity == "critical" ? "</td><td><span class=\"label label-danger\">" : "</td><td><span class=\"label label-warning\">");
            Write(alert.Severity);
            WriteLiteral("</span></td><td>");
            Write(alert.Status);
            WriteLiteral("</td><td>");
            Write(alert.Source ?? alert.SubscriptionId ?? "gateway");
            WriteLiteral("</td><td>");
            Write(alert.Value.ToString("0.####", CultureInfo.InvariantCulture));
            WriteLiteral("</td><td>");
            Write(alert.Threshold.ToString("0.####", CultureInfo.InvariantCulture));
            WriteLiteral("</td><td>");
            Write(alert.ResolvedAt?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            WriteLiteral("</td><td>");
            if (actions)
            {
                foreach (var action in alert.Status == "open" ? new[] { "acknowledge", "resolve" } : ["resolve"])
                {
                    WriteLiteral($"<form method=\"post\" action=\"{Url.To($"{Route}/{alert.Id}/{action}")}\" style=\"display:inline\">");
                    WriteLiteral(antiforgeryField);
                    WriteLiteral($"<button class=\"btn btn-xs btn-default\">{action}</button></form> ");
                }
            }

            WriteLiteral("</td></tr>");
        }

        WriteLiteral("</tbody></table>");
    }

    /// <summary>POST …/alerts/{id}/acknowledge|resolve, admin keys only; back to the page.</summary>
    private sealed class Act : IDashboardDispatcher
    {
        public async Task Dispatch(DashboardContext context)
        {
            var http = context.GetHttpContext();
            if (!DashboardPages.MayAct(context))
            {
                return;
            }

            if (!Guid.TryParse(context.UriMatch.Groups["id"].Value, out var id))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            var mediator = http.RequestServices.GetRequiredService<IMediator>();
            _ = context.UriMatch.Groups["action"].Value == "acknowledge"
                ? await mediator.Send(new AcknowledgeAlert(id), http.RequestAborted)
                : await mediator.Send(new ResolveAlert(id), http.RequestAborted);
            http.Response.Redirect(new UrlHelper(context).To(Route));
        }
    }
}
