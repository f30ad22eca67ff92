using MediatR;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Application.Admin.Audit;
using Webhooks.Application.Admin.DeadLetters;
using Webhooks.Application.Admin.Inbox;
using Webhooks.Application.Admin.Sources;
using Webhooks.Application.Sources;
using Webhooks.Infrastructure.Health;
using Webhooks.Infrastructure.Jobs;
using Webhooks.Infrastructure.Relay;

namespace Webhooks.Api.Admin;

/// <summary>
/// The operators' dashboard: server-rendered pages over the same use cases as the admin API. Login is HTTP Basic
/// (user admin, the admin key as password) or the Bearer key; every state-changing form carries an anti-forgery token.
/// </summary>
[Authorize(Policy = AdminKeyHandler.Policy)]
[Route("admin")]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class DashboardController(IMediator mediator, IAntiforgery antiforgery, HealthReporter health, RelayState relay, RecurringJobsOverview jobs)
    : DashboardControllerBase(antiforgery)
{
    [HttpGet("")]
    public async Task<IActionResult> Overview(CancellationToken cancellationToken)
    {
        var report = await health.CheckAsync(includeBacklog: true, cancellationToken);
        var token = Token();
        var recent = await mediator.Send(new ListInbox(null, null, null, null, null, null, 10), cancellationToken);
        var dead = await mediator.Send(new ListDeadLetters(new DeadLetterFilter(), "dead", null, 10), cancellationToken);
        var html = new Html();
        html.Raw("<div class=\"cards\">")
            .Raw(Card("Database", report.Database.Status, report.Database.Detail))
            .Raw(Card("Broker", report.Broker.Status, report.Broker.Detail))
            .Raw(Card("Relay", report.Relay.Status, $"{report.Relay.Published} published since start"))
            .Raw(Card("Backlog", report.Relay.Backlog.ToString(System.Globalization.CultureInfo.InvariantCulture), report.Relay.OldestAgeSeconds is { } age ? $"oldest {age:0} s" : "empty"))
            .Raw(Card("Dead letters (page)", dead.Items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + (dead.NextCursor is null ? "" : "+"), "waiting for an operator"))
            .Raw("</div><p>")
            .Raw(relay.Paused
                ? Html.Button("/admin/relay/resume", "Resume the relay", token)
                : Html.Button("/admin/relay/pause", "Pause the relay", token, "Pause publishing? Webhooks keep being accepted into the backlog."))
            .Raw("</p>");
        html.Tag("h2", "Latest webhooks").Table(["received", "source", "topic", "status", "id"], recent.Items.Select(InboxRow));
        html.Tag("h2", "Latest dead letters").Table(["created", "source", "event type", "attempts", "last error", ""], dead.Items.Select(d => DeadRow(d, token)));
        return Page(html, "Overview", "overview");
    }

    [HttpGet("inbox")]
    public async Task<IActionResult> Inbox(string? source, string? status, string? topic, string? cursor, CancellationToken cancellationToken)
    {
        var page = await mediator.Send(new ListInbox(source, status, topic, null, null, cursor, 50), cancellationToken);
        var html = new Html().Raw(Filter("/admin/inbox", ("source", source), ("status", status), ("topic", topic)));
        html.Table(["received", "source", "topic", "status", "id"], page.Items.Select(InboxRow));
        if (page.NextCursor is { } next)
        {
            html.Raw(Html.Link($"/admin/inbox?source={source}&status={status}&topic={topic}&cursor={next}", "Older →"));
        }

        return Page(html, "Inbox", "inbox");
    }

    [HttpGet("inbox/{id:guid}")]
    public async Task<IActionResult> InboxMessage(Guid id, CancellationToken cancellationToken)
    {
        var detail = await mediator.Send(new GetInboxMessage(id), cancellationToken);
        var html = new Html();
        html.Raw($"<p>{Html.E(detail.Source)} · {Html.E(detail.Provider)} · topic <b>{Html.E(detail.Topic)}</b> · {Html.E(detail.Status)} · received {Html.E(detail.ReceivedAt)} · key {Html.E(detail.IdempotencyKey)} · correlation {Html.E(detail.CorrelationId)}</p>")
            .Raw(Html.Button($"/admin/inbox/{id}/replay", "Replay with today's mapping", Token(), "Map this webhook again and publish fresh events?"));
        html.Tag("h2", "Events").Table(["id", "type", "status", "attempts", "last error", "published"],
            detail.Events.Select(e => new[] { Html.E(e.Id), Html.E(e.Type), Html.E(e.Status), Html.E(e.Attempts), Html.E(e.LastError), Html.E(e.PublishedAt) }));
        html.Tag("h2", "Headers (secrets redacted)").Table(["name", "value"], detail.Headers.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => new[] { Html.E(h.Key), Html.E(h.Value) }));
        html.Tag("h2", $"Body ({detail.BodyBytes} bytes, {detail.BodyEncoding})").Tag("pre", detail.Body);
        return Page(html, $"Webhook {id}", "inbox");
    }

    [HttpGet("dead-letters")]
    public async Task<IActionResult> DeadLetters(string? source, [FromQuery(Name = "event_type")] string? eventType, [FromQuery(Name = "error_contains")] string? errorContains, string? status, string? cursor, CancellationToken cancellationToken)
    {
        var filter = new DeadLetterFilter(source, eventType, null, null, errorContains);
        var page = await mediator.Send(new ListDeadLetters(filter, status ?? "dead", cursor, 50), cancellationToken);
        var token = Token();
        var html = new Html().Raw(Filter("/admin/dead-letters", ("source", source), ("event_type", eventType), ("error_contains", errorContains), ("status", status ?? "dead")));
        html.Raw(Html.Button("/admin/dead-letters/replay", "Replay all that match this filter", token,
            "Replay every dead letter that matches this filter? It runs as a background job.",
            Hidden("source", source) + Hidden("event_type", eventType) + Hidden("error_contains", errorContains)));
        html.Table(["created", "source", "event type", "attempts", "last error", ""], page.Items.Select(d => DeadRow(d, token)));
        if (page.NextCursor is { } next)
        {
            html.Raw(Html.Link($"/admin/dead-letters?source={source}&event_type={eventType}&error_contains={errorContains}&status={status}&cursor={next}", "Older →"));
        }

        return Page(html, "Dead letters", "dead");
    }

    [HttpGet("dead-letters/{id:guid}")]
    public async Task<IActionResult> DeadLetter(Guid id, CancellationToken cancellationToken)
    {
        var detail = await mediator.Send(new GetDeadLetter(id), cancellationToken);
        var token = Token();
        var html = new Html().Raw($"<p>{Html.E(detail.EventType)} from {Html.E(detail.Source)} · {Html.E(detail.Status)} · {detail.Attempts} attempts · event id {Html.E(detail.EventId)}</p>");
        if (detail.Status == "dead")
        {
            html.Raw(Html.Button($"/admin/dead-letters/{id}/replay", "Replay", token, "Publish this event again (same id)?"))
                .Raw(Html.Button($"/admin/dead-letters/{id}/archive", "Archive", token, "Archive this dead letter? It will not be replayed."));
        }

        html.Tag("h2", "Errors").Table(["at", "attempt", "error"], detail.Errors.EnumerateArray().Select(e => new[]
        {
            Html.E(e.TryGetProperty("at", out var at) ? at.ToString() : ""), Html.E(e.TryGetProperty("attempt", out var n) ? n.ToString() : ""), Html.E(e.TryGetProperty("error", out var error) ? error.ToString() : ""),
        }));
        html.Tag("h2", "Event").Tag("pre", System.Text.Json.JsonSerializer.Serialize(detail.Event, IndentedJson));
        return Page(html, $"Dead letter {id}", "dead");
    }

    [HttpGet("jobs/{id:guid}")]
    public async Task<IActionResult> Job(Guid id, CancellationToken cancellationToken)
    {
        var job = await mediator.Send(new GetReplayJob(id), cancellationToken);
        var running = job.Status is "queued" or "running";
        var html = new Html();
        if (running)
        {
            html.Raw("<meta http-equiv=\"refresh\" content=\"2\">");
        }

        html.Raw($"<div class=\"cards\">{Card("Status", job.Status, job.Error)}{Card("Replayed", $"{job.Processed} / {job.Total}", job.Total == 0 ? null : $"{100.0 * job.Processed / job.Total:0}%")}{Card("Started", Html.E(job.StartedAt), null)}{Card("Finished", Html.E(job.FinishedAt), null)}</div>")
            .Tag("h2", "Filter").Tag("pre", job.Filter.ToString());
        return Page(html, "Bulk replay", "dead");
    }

    [HttpGet("system")]
    public async Task<IActionResult> SystemPage(CancellationToken cancellationToken)
    {
        var html = new Html();
        html.Tag("h2", "Recurring jobs (Quartz, clustered)").Table(["job", "description", "state", "last run", "next run", "last failure"],
            (await jobs.ListAsync(cancellationToken)).Select(j => new[] { Html.E($"{j.Group}/{j.Name}"), Html.E(j.Description), Html.E(j.TriggerState), Html.E(j.LastRun), Html.E(j.NextRun), Html.E(j.LastFailure) }));
        var token = Token();
        html.Tag("h2", "Sources").Table(["name", "provider", "enabled", "secrets (last characters only)", "tolerance", "max body", "origin", ""],
            (await mediator.Send(new ListSources(), cancellationToken)).Items.Select(s => new[]
            {
                Html.E(s.Name), Html.E(s.Provider), Html.E(s.Enabled ? "yes" : "no"),
                string.Join("<br>", s.Secrets.Select(x => Html.E($"{x.Hint} added {x.CreatedAt:yyyy-MM-dd HH:mm}") + (x.ExpiresAt is { } at ? Html.E($" · {(x.Active ? "expires" : "expired")} {at:yyyy-MM-dd HH:mm:ss}") : ""))),
                Html.E($"{s.ToleranceSeconds} s"), Html.E($"{s.MaxBodyBytes / 1024} KiB"), Html.E(s.Origin),
                (s.Enabled
                    ? Html.Button($"/admin/sources/{s.Name}/disable", "Disable", token, $"Disable {s.Name}? Its deliveries will be answered 404 until it is enabled again.")
                    : Html.Button($"/admin/sources/{s.Name}/enable", "Enable", token)) +
                Html.Button($"/admin/sources/{s.Name}/secrets", "Add secret", token, $"Add this secret to {s.Name}?",
                    "<input type=\"password\" name=\"secret\" placeholder=\"new secret\" autocomplete=\"off\" required>" +
                    "<input type=\"number\" name=\"expire_previous_after_seconds\" placeholder=\"retire old after (s)\" min=\"0\">"),
            }));
        return Page(html, "Jobs & sources", "system");
    }

    [HttpGet("audit")]
    public async Task<IActionResult> Audit(string? actor, string? cursor, CancellationToken cancellationToken)
    {
        var page = await mediator.Send(new ListAudit(actor, cursor, 50), cancellationToken);
        var html = new Html().Raw(Filter("/admin/audit", ("actor", actor)));
        html.Table(["when", "key", "role", "action", "target", "status", "from"], page.Items.Select(e => new[]
        {
            Html.E(e.At.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)), Html.E(e.Actor), Html.E(e.Role),
            Html.E(e.Action), Html.E(e.Target), Html.E(e.StatusCode), Html.E(e.ClientAddress),
        }));
        if (page.NextCursor is { } next)
        {
            html.Raw(Html.Link($"/admin/audit?actor={Uri.EscapeDataString(actor ?? "")}&cursor={Uri.EscapeDataString(next)}", "Older →"));
        }

        return Page(html, "Audit log", "audit");
    }

    /// <summary>
    /// Ends a Basic login: a 401 for the dashboard's realm makes the browser forget the credentials it cached.
    /// </summary>
    [HttpGet("logout")]
    [AllowAnonymous]
    public IActionResult Logout()
    {
        Response.Headers.WWWAuthenticate = "Basic realm=\"Webhooks admin\", charset=\"UTF-8\"";
        Response.Headers.CacheControl = "no-store";
        return new ContentResult
        {
            StatusCode = StatusCodes.Status401Unauthorized,
            ContentType = "text/html; charset=utf-8",
            Content = "<!doctype html><title>Logged out</title><p>You are logged out. <a href=\"/admin\">Log in again</a>.</p>",
        };
    }

    [HttpPost("dead-letters/{id:guid}/replay")]
    public Task<IActionResult> ReplayDeadLetter(Guid id, CancellationToken cancellationToken) =>
        Act(() => mediator.Send(new ReplayDeadLetter(id), cancellationToken), $"/admin/dead-letters/{id}");

    [HttpPost("dead-letters/{id:guid}/archive")]
    public Task<IActionResult> ArchiveDeadLetter(Guid id, CancellationToken cancellationToken) =>
        Act(() => mediator.Send(new ArchiveDeadLetter(id), cancellationToken), $"/admin/dead-letters/{id}");

    [HttpPost("dead-letters/replay")]
    public async Task<IActionResult> ReplayMany(CancellationToken cancellationToken)
    {
        var form = await FormAsync(cancellationToken);
        var job = await mediator.Send(new StartBulkReplay(new DeadLetterFilter(Value(form["source"]), Value(form["event_type"]), null, null, Value(form["error_contains"]))), cancellationToken);
        return Redirect($"/admin/jobs/{job.Id}");
    }

    [HttpPost("inbox/{id:guid}/replay")]
    public Task<IActionResult> ReplayInbox(Guid id, CancellationToken cancellationToken) =>
        Act(() => mediator.Send(new ReplayInboxMessage(id), cancellationToken), $"/admin/inbox/{id}");

    [HttpPost("sources/{name}/enable")]
    public Task<IActionResult> EnableSource(string name, CancellationToken cancellationToken) =>
        Act(() => mediator.Send(new UpdateSource(name, new SourceOptions { Enabled = true }), cancellationToken), "/admin/system");

    [HttpPost("sources/{name}/disable")]
    public Task<IActionResult> DisableSource(string name, CancellationToken cancellationToken) =>
        Act(() => mediator.Send(new UpdateSource(name, new SourceOptions { Enabled = false }), cancellationToken), "/admin/system");

    [HttpPost("sources/{name}/secrets")]
    public async Task<IActionResult> AddSourceSecret(string name, CancellationToken cancellationToken)
    {
        var form = await FormAsync(cancellationToken);
        int? after = int.TryParse(Value(form["expire_previous_after_seconds"]), System.Globalization.CultureInfo.InvariantCulture, out var seconds) ? seconds : null;
        await mediator.Send(new AddSourceSecret(name, Value(form["secret"]), null, after), cancellationToken);
        return Redirect("/admin/system");
    }

    [HttpPost("relay/pause")]
    public Task<IActionResult> PauseRelay() => Act(() => { relay.Pause(); return Task.FromResult(0); }, "/admin");

    [HttpPost("relay/resume")]
    public Task<IActionResult> ResumeRelay() => Act(() => { relay.Resume(); return Task.FromResult(0); }, "/admin");


    private static string[] InboxRow(InboxSummary m) =>
        [Html.E(m.ReceivedAt), Html.E(m.Source), Html.E(m.Topic), Html.E(m.Status), Html.Link($"/admin/inbox/{m.Id}", m.Id)];

    private static string[] DeadRow(DeadLetterSummary d, string token) =>
    [
        Html.E(d.CreatedAt), Html.E(d.Source), Html.Link($"/admin/dead-letters/{d.Id}", d.EventType), Html.E(d.Attempts), Html.E(d.LastError),
        d.Status == "dead"
            ? Html.Button($"/admin/dead-letters/{d.Id}/replay", "Replay", token, "Publish this event again (same id)?") + Html.Button($"/admin/dead-letters/{d.Id}/archive", "Archive", token, "Archive this dead letter?")
            : Html.E(d.Status),
    ];

    private static string Filter(string action, params (string Name, string? Value)[] fields) =>
        $"<form method=\"get\" action=\"{Html.E(action)}\" class=\"filter\">" +
        string.Concat(fields.Select(f => $"<input name=\"{Html.E(f.Name)}\" placeholder=\"{Html.E(f.Name.Replace('_', ' '))}\" value=\"{Html.E(f.Value)}\">")) +
        "<button>Search</button></form>";

}

/// <summary>What every dashboard page shares: the anti-forgery token, the page frame with its headers, confirmed actions.</summary>
public abstract class DashboardControllerBase(IAntiforgery antiforgery) : Controller
{
    protected static readonly System.Text.Json.JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    protected async Task<IActionResult> Act<T>(Func<Task<T>> action, string then)
    {
        await antiforgery.ValidateRequestAsync(HttpContext);
        await action();
        return Redirect(then);
    }

    /// <summary>Validates the anti-forgery token and reads the posted form.</summary>
    protected async Task<IFormCollection> FormAsync(CancellationToken cancellationToken)
    {
        await antiforgery.ValidateRequestAsync(HttpContext);
        return await Request.ReadFormAsync(cancellationToken);
    }

    protected string Token() => antiforgery.GetAndStoreTokens(HttpContext).RequestToken!;

    protected ContentResult Page(Html html, string title, string active)
    {
        Response.Headers.ContentSecurityPolicy = "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'";
        Response.Headers.XContentTypeOptions = "nosniff";
        Response.Headers.CacheControl = "no-store";
        return Content(html.Page(title, active), "text/html; charset=utf-8");
    }

    protected static string Card(string title, string value, string? detail) =>
        $"<div class=\"card\"><span class=\"muted\">{Html.E(title)}</span><b class=\"{(value == "up" || value == "running" ? "up" : value == "down" ? "down" : "")}\">{Html.E(value)}</b><span class=\"muted\">{Html.E(detail)}</span></div>";

    protected static string Hidden(string name, string? value) => value is null ? "" : $"<input type=\"hidden\" name=\"{Html.E(name)}\" value=\"{Html.E(value)}\">";

    protected static string? Value(Microsoft.Extensions.Primitives.StringValues value) => string.IsNullOrEmpty(value.ToString()) ? null : value.ToString();
}
