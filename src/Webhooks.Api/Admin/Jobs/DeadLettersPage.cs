using System.Globalization;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;
using MediatR;
using Webhooks.Application.Admin.DeadLetters;

namespace Webhooks.Api.Admin.Jobs;

/// <summary>
/// Dead letters inside the Hangfire Dashboard: filter them, replay one (a Hangfire job of its own, whose page opens),
/// or replay every one that matches (the durable bulk-replay job, resumable after a crash).
/// </summary>
internal sealed class DeadLettersPage : RazorPage
{
    public const string Route = "/dead-letters";

    public static void Register() => DashboardPages.Add(Route, "Dead letters", () => new DeadLettersPage(),
        ("/(?<id>[0-9a-fA-F-]{36})/replay", new ReplayOne()), ("/replay", new ReplayMatching()));

    public override void Execute()
    {
        Layout = new LayoutPage("Dead letters");
        var http = Context.GetHttpContext();
        var mediator = http.RequestServices.GetRequiredService<IMediator>();
        var filter = new DeadLetterFilter(Value("source"), Value("event_type"), null, null, Value("error_contains"));
        var page = mediator.Send(new ListDeadLetters(filter, "dead", Value("cursor"), 50), http.RequestAborted).GetAwaiter().GetResult();

        WriteLiteral("<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Dead letters</h1>");
        if (Value("queued") is { } queued)
        {
            WriteLiteral("<div class=\"alert alert-success\">Bulk replay ");
            Write(queued);
            WriteLiteral(" queued as a Hangfire job; its progress is on <a href=\"/admin/jobs/");
            Write(queued);
            WriteLiteral("\">its page</a>.</div>");
        }

        WriteLiteral("<form method=\"get\" class=\"form-inline\" style=\"margin-bottom:12px\">");
        foreach (var (name, value) in Fields(filter))
        {
            WriteLiteral($"<input class=\"form-control input-sm\" style=\"margin-right:6px\" name=\"{name}\" placeholder=\"{name.Replace('_', ' ')}\" value=\"");
            Write(value);
            WriteLiteral("\">");
        }

        WriteLiteral("<button class=\"btn btn-sm btn-default\">Filter</button></form>");
        WriteLiteral($"<form method=\"post\" action=\"{Url.To(Route + "/replay")}\" style=\"margin-bottom:12px\">{DashboardPages.AntiforgeryField(http)}");
        foreach (var (name, value) in Fields(filter))
        {
            WriteLiteral($"<input type=\"hidden\" name=\"{name}\" value=\"");
            Write(value);
            WriteLiteral("\">");
        }

        WriteLiteral(IsReadOnly ? "" : "<button class=\"btn btn-sm btn-primary\">Replay all that match this filter</button>");
        WriteLiteral("</form><table class=\"table table-striped\"><thead><tr><th>created</th><th>source</th><th>event type</th><th>attempts</th><th>last error</th><th></th></tr></thead><tbody>");
        foreach (var letter in page.Items)
        {
            WriteLiteral("<tr><td>");
            Write(letter.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            WriteLiteral("</td><td>");
            Write(letter.Source);
            WriteLiteral("</td><td>");
            Write(letter.EventType);
            WriteLiteral("</td><td>");
            Write(letter.Attempts);
            WriteLiteral("</td><td>");
            Write(letter.LastError);
            WriteLiteral("</td><td>");
            if (!IsReadOnly)
            {
                WriteLiteral($"<form method=\"post\" action=\"{Url.To($"{Route}/{letter.Id}/replay")}\" style=\"margin:0\">{DashboardPages.AntiforgeryField(http)}<button class=\"btn btn-xs btn-primary\">Replay</button></form>");
            }

            WriteLiteral("</td></tr>");
        }

        WriteLiteral("</tbody></table>");
        if (page.Items.Count == 0)
        {
            WriteLiteral("<p>No dead letters match.</p>");
        }

        if (page.NextCursor is { } next)
        {
            var query = string.Join("&", Fields(filter).Where(f => f.Value is not null).Select(f => $"{f.Name}={Uri.EscapeDataString(f.Value!)}").Append($"cursor={Uri.EscapeDataString(next)}"));
            WriteLiteral($"<a class=\"btn btn-sm btn-default\" href=\"{Url.To(Route)}?");
            Write(query);
            WriteLiteral("\">Older →</a>");
        }

        WriteLiteral("</div></div>");
    }

    private string? Value(string name) => Query(name) is { Length: > 0 } value ? value : null;

    private static (string Name, string? Value)[] Fields(DeadLetterFilter filter) =>
        [("source", filter.Source), ("event_type", filter.EventType), ("error_contains", filter.ErrorContains)];

    /// <summary>POST …/dead-letters/{id}/replay: a Hangfire job replays it; its job page opens.</summary>
    private sealed class ReplayOne : IDashboardDispatcher
    {
        public async Task Dispatch(DashboardContext context)
        {
            if (!DashboardPages.MayAct(context))
            {
                return;
            }

            var http = context.GetHttpContext();
            if (!Guid.TryParse(context.UriMatch.Groups["id"].Value, out var id))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            var jobId = await http.RequestServices.GetRequiredService<IMediator>().Send(new QueueDeadLetterReplay(id), http.RequestAborted);
            http.Response.Redirect(new UrlHelper(context).JobDetails(jobId));
        }
    }

    /// <summary>POST …/dead-letters/replay: the bulk replay of everything the filter matches.</summary>
    private sealed class ReplayMatching : IDashboardDispatcher
    {
        public async Task Dispatch(DashboardContext context)
        {
            if (!DashboardPages.MayAct(context))
            {
                return;
            }

            var http = context.GetHttpContext();
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            string? Field(string name) => form[name].ToString() is { Length: > 0 } value ? value : null;
            var job = await http.RequestServices.GetRequiredService<IMediator>()
                .Send(new StartBulkReplay(new DeadLetterFilter(Field("source"), Field("event_type"), null, null, Field("error_contains"))), http.RequestAborted);
            http.Response.Redirect(new UrlHelper(context).To($"{Route}?queued={job.Id}"));
        }
    }

}
