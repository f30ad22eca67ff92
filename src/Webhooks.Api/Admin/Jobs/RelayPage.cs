using System.Globalization;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;
using MediatR;
using Webhooks.Application.Admin.Relay;

namespace Webhooks.Api.Admin.Jobs;

/// <summary>
/// The outbox relay inside the Hangfire Dashboard. The relay itself is not a Hangfire job — it keeps its retries on the
/// outbox row, backing off from one second — so this page shows its state beside the jobs around it: the backlog,
/// the events being retried and when each is tried next.
/// </summary>
internal sealed class RelayPage : RazorPage
{
    public const string Route = "/relay";

    public static void Register() => DashboardPages.Add(Route, "Relay", () => new RelayPage());

    public override void Execute()
    {
        Layout = new LayoutPage("Relay");
        var http = Context.GetHttpContext();
        var relay = http.RequestServices.GetRequiredService<IMediator>().Send(new GetRelayOverview(), http.RequestAborted).GetAwaiter().GetResult();

        WriteLiteral("<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Relay</h1><table class=\"table\"><tbody>");
        Row("Backlog (events waiting to be published)", relay.Backlog.ToString(CultureInfo.InvariantCulture));
        Row("Being retried (refused by the broker at least once)", relay.Retrying.ToString(CultureInfo.InvariantCulture));
        Row("Oldest waiting since", relay.OldestPendingAt?.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? "—");
        WriteLiteral("</tbody></table><h3>Next attempts</h3><table class=\"table table-striped\"><thead><tr><th>next attempt</th><th>source</th><th>event type</th><th>attempts</th><th>last error</th><th>event id</th></tr></thead><tbody>");
        foreach (var retrying in relay.NextAttempts)
        {
            WriteLiteral("<tr><td>");
            Write(retrying.NextAttemptAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            WriteLiteral("</td><td>");
            Write(retrying.Source);
            WriteLiteral("</td><td>");
            Write(retrying.EventType);
            WriteLiteral("</td><td>");
            Write(retrying.Attempts);
            WriteLiteral("</td><td>");
            Write(retrying.LastError);
            WriteLiteral("</td><td>");
            Write(retrying.Id);
            WriteLiteral("</td></tr>");
        }

        WriteLiteral(relay.NextAttempts.Count == 0 ? "<tr><td colspan=\"6\">Nothing is being retried.</td></tr>" : "");
        WriteLiteral("</tbody></table></div></div>");
    }

    private void Row(string label, string value)
    {
        WriteLiteral("<tr><th>");
        Write(label);
        WriteLiteral("</th><td>");
        Write(value);
        WriteLiteral("</td></tr>");
    }
}
