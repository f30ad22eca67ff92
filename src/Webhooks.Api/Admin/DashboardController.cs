using MediatR;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Application.Admin.Audit;
using Webhooks.Application.Admin.DeadLetters;
using Webhooks.Application.Admin.Inbox;
using Webhooks.Application.Admin.Sources;
using Webhooks.Application.Admin.Traffic;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Health;
using Webhooks.Application.Sources;

namespace Webhooks.Api.Admin;

/// <summary>
/// The operators' dashboard: Razor views over the same use cases as the admin API. Login is HTTP Basic (user admin,
/// the admin key as password) or the Bearer key; every state-changing form carries an anti-forgery token.
/// </summary>
[Authorize(Policy = AdminKeyHandler.Policy)]
[Route("admin")]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class DashboardController(IMediator mediator, IAntiforgery antiforgery, IHealthReporter health, IRelayControl relay, IJobsOverview jobs)
    : DashboardControllerBase(antiforgery)
{
    [HttpGet("")]
    public async Task<IActionResult> Overview(CancellationToken cancellationToken)
    {
        var report = await health.CheckAsync(includeBacklog: true, cancellationToken);
        var latest = await mediator.Send(new ListInbox(null, null, null, null, null, null, 10), cancellationToken);
        var dead = await mediator.Send(new ListDeadLetters(new DeadLetterFilter(), "dead", null, 10), cancellationToken);
        var charts = new ActivityCharts(await mediator.Send(new GetTraffic(), cancellationToken), await mediator.Send(new GetGatewayActivity(), cancellationToken));
        return View(new OverviewPage(report, relay.Status.Paused, latest, dead, charts));
    }

    [HttpGet("inbox")]
    public async Task<IActionResult> Inbox(string? source, string? status, string? topic, string? cursor, CancellationToken cancellationToken)
    {
        var page = await mediator.Send(new ListInbox(source, status, topic, null, null, cursor, 50), cancellationToken);
        KeyValuePair<string, string?>[] fields = [new("source", source), new("status", status), new("topic", topic)];
        return View(new InboxPage(page, new FilterForm("/admin/inbox", fields), new Pager("/admin/inbox", fields, page.NextCursor)));
    }

    [HttpGet("inbox/{id:guid}")]
    [AuditedRead]
    public async Task<IActionResult> InboxMessage(Guid id, CancellationToken cancellationToken) =>
        View(await mediator.Send(new GetInboxMessage(id), cancellationToken));

    [HttpGet("dead-letters")]
    public async Task<IActionResult> DeadLetters(CancellationToken cancellationToken) =>
        View(await FailedWork.LoadAsync(mediator, Request.Query, "/admin/dead-letters", User.IsInRole(AdminRoles.Admin), cancellationToken));

    [HttpGet("dead-letters/{id:guid}")]
    [AuditedRead]
    public async Task<IActionResult> DeadLetter(Guid id, CancellationToken cancellationToken) =>
        View(await mediator.Send(new GetDeadLetter(id), cancellationToken));

    [HttpGet("jobs/{id:guid}")]
    public async Task<IActionResult> Job(Guid id, CancellationToken cancellationToken) =>
        View(await mediator.Send(new GetReplayJob(id), cancellationToken));

    [HttpGet("system")]
    public async Task<IActionResult> SystemPage(CancellationToken cancellationToken)
    {
        var recurring = await jobs.RecurringAsync(cancellationToken);
        var sources = await mediator.Send(new ListSources(), cancellationToken);
        var backfills = await mediator.Send(new Application.Backfill.ListBackfillStatus(), cancellationToken);
        return View("System", new SystemPage(recurring, sources.Items, backfills));
    }

    [HttpGet("audit")]
    public async Task<IActionResult> Audit(string? actor, string? cursor, CancellationToken cancellationToken)
    {
        var page = await mediator.Send(new ListAudit(actor, cursor, 50), cancellationToken);
        KeyValuePair<string, string?>[] fields = [new("actor", actor)];
        return View(new AuditPage(page, new FilterForm("/admin/audit", fields), new Pager("/admin/audit", fields, page.NextCursor)));
    }

    /// <summary>
    /// Ends a Basic login: a 401 for the dashboard's realm makes the browser forget the credentials it cached.
    /// </summary>
    [HttpGet("logout")]
    [AllowAnonymous]
    public IActionResult Logout()
    {
        Response.Headers.WWWAuthenticate = "Basic realm=\"Webhooks admin\", charset=\"UTF-8\"";
        var page = View();
        page.StatusCode = StatusCodes.Status401Unauthorized;
        return page;
    }

    /// <summary>
    /// Queues the replay as a Hangfire job, as every entry point does (the API, this page, the Hangfire page). From
    /// inside the Hangfire Dashboard the job's own page opens; from /admin, the page the form came from.
    /// </summary>
    [HttpPost("dead-letters/{id:guid}/replay")]
    public async Task<IActionResult> ReplayDeadLetter(Guid id, CancellationToken cancellationToken)
    {
        var form = await FormAsync(cancellationToken);
        var jobId = await mediator.Send(new QueueDeadLetterReplay(id), cancellationToken);
        var back = FailedWork.SafeReturn(FieldOrNull(form["return_to"]), $"/admin/dead-letters/{id}");
        return Redirect(back.StartsWith(Jobs.JobsDashboard.Path, StringComparison.Ordinal) ? $"{Jobs.JobsDashboard.Path}/jobs/details/{jobId}" : back);
    }

    [HttpPost("dead-letters/{id:guid}/archive")]
    public Task<IActionResult> ArchiveDeadLetter(Guid id, CancellationToken cancellationToken) =>
        ActThenReturnAsync(() => mediator.Send(new ArchiveDeadLetter(id), cancellationToken), $"/admin/dead-letters/{id}", cancellationToken);

    [HttpPost("dead-letters/replay")]
    public async Task<IActionResult> ReplayMany(CancellationToken cancellationToken)
    {
        var form = await FormAsync(cancellationToken);
        var filter = new DeadLetterFilter(FieldOrNull(form["source"]), FieldOrNull(form["event_type"]), null, null, FieldOrNull(form["error_contains"]));
        var job = await mediator.Send(new StartBulkReplay(filter), cancellationToken);
        return Redirect($"/admin/jobs/{job.Id}");
    }

    [HttpPost("deliveries/{id:guid}/retry")]
    public Task<IActionResult> RetryDelivery(Guid id, CancellationToken cancellationToken) =>
        ActThenReturnAsync(() => mediator.Send(new Application.Delivery.Deliveries.RetryDelivery(id), cancellationToken), "/admin/dead-letters", cancellationToken);

    [HttpPost("deliveries/{id:guid}/archive")]
    public Task<IActionResult> ArchiveDelivery(Guid id, CancellationToken cancellationToken) =>
        ActThenReturnAsync(() => mediator.Send(new Application.Delivery.Deliveries.ArchiveDelivery(id), cancellationToken), "/admin/dead-letters", cancellationToken);

    [HttpPost("deliveries/retry")]
    public async Task<IActionResult> RetryDeliveries(CancellationToken cancellationToken)
    {
        var form = await FormAsync(cancellationToken);
        var filter = new Application.Delivery.Deliveries.DeliveryFilter(
            null, Guid.TryParse(FieldOrNull(form["subscription_id"]), out var subscription) ? subscription : null, FieldOrNull(form["event"]));
        var job = await mediator.Send(new Application.Delivery.Deliveries.StartDeliveryRetry(filter), cancellationToken);
        return Redirect($"/admin/jobs/{job.Id}");
    }

    /// <summary>Runs an action posted from a dashboard page and goes back to the page it came from (return_to), else to <paramref name="fallback"/>.</summary>
    private async Task<IActionResult> ActThenReturnAsync<T>(Func<Task<T>> command, string fallback, CancellationToken cancellationToken)
    {
        var form = await FormAsync(cancellationToken);
        await command();
        return Redirect(FailedWork.SafeReturn(FieldOrNull(form["return_to"]), fallback));
    }

    [HttpPost("inbox/{id:guid}/replay")]
    public Task<IActionResult> ReplayInbox(Guid id, CancellationToken cancellationToken) =>
        PostThenRedirectAsync(() => mediator.Send(new ReplayInboxMessage(id), cancellationToken), $"/admin/inbox/{id}");

    [HttpPost("sources/{name}/enable")]
    public Task<IActionResult> EnableSource(string name, CancellationToken cancellationToken) =>
        PostThenRedirectAsync(() => mediator.Send(new UpdateSource(name, new SourceSettings { Enabled = true }), cancellationToken), "/admin/system");

    [HttpPost("sources/{name}/disable")]
    public Task<IActionResult> DisableSource(string name, CancellationToken cancellationToken) =>
        PostThenRedirectAsync(() => mediator.Send(new UpdateSource(name, new SourceSettings { Enabled = false }), cancellationToken), "/admin/system");

    [HttpPost("sources/{name}/secrets")]
    public async Task<IActionResult> AddSourceSecret(string name, CancellationToken cancellationToken)
    {
        var form = await FormAsync(cancellationToken);
        int? after = int.TryParse(FieldOrNull(form["expire_previous_after_seconds"]), System.Globalization.CultureInfo.InvariantCulture, out var seconds) ? seconds : null;
        await mediator.Send(new AddSourceSecret(name, FieldOrNull(form["secret"]), null, after), cancellationToken);
        return Redirect("/admin/system");
    }

    [HttpPost("sources/{name}/backfill/run")]
    public Task<IActionResult> RunBackfill(string name, CancellationToken cancellationToken) =>
        PostThenRedirectAsync(() => mediator.Send(new Application.Backfill.QueueBackfillRun(name), cancellationToken), "/admin/system");

    [HttpPost("relay/pause")]
    public Task<IActionResult> PauseRelay() => PostThenRedirectAsync(() => { relay.Pause(); return Task.FromResult(0); }, "/admin");

    [HttpPost("relay/resume")]
    public Task<IActionResult> ResumeRelay() => PostThenRedirectAsync(() => { relay.Resume(); return Task.FromResult(0); }, "/admin");
}
