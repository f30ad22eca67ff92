using System.Globalization;
using System.Text.Json;
using MediatR;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Api.Admin;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Delivery.Deliveries;
using Webhooks.Application.Delivery.Subscriptions;
using Webhooks.Application.Tenants;

namespace Webhooks.Api.Portal;

/// <summary>
/// The partner portal (contract v3): opened by a portal link, it shows one application only — its endpoints (create,
/// edit url, events and filter with a dry run, disable, test, rotate the secret), its deliveries with request, response
/// and attempts (search, retry one or all failed) and its event types with their schemas. Every command names the
/// session's application, so the Application's scope decides what it may reach, as for an application's key.
/// </summary>
[Authorize(Policy = PortalAuthentication.Policy)]
[Route("portal")]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class PortalController(IMediator mediator, IAntiforgery antiforgery) : DashboardControllerBase(antiforgery)
{
    private LoginFailures Failures => HttpContext.RequestServices.GetRequiredService<LoginFailures>();

    private string App => User.FindFirst(Http.HttpCaller.ApplicationClaim)!.Value;

    private string AppName => User.FindFirst("webhooks:application-name")?.Value ?? "";

    private bool ReadOnly => PortalAuthentication.IsReadOnly(User);

    /// <summary>
    /// A portal link: opens a session for its application and sends the browser on to the portal's first page. Tokens that
    /// open nothing spend the address's failed-login budget (as wrong admin keys do): past it they are answered 429,
    /// while a real link from the same address still opens.
    /// </summary>
    [AllowAnonymous]
    [HttpGet("{token:length(43)}")]
    public async Task<IActionResult> Open(string token, CancellationToken cancellationToken)
    {
        var grant = await mediator.Send(new OpenPortalSession(token), cancellationToken);
        if (grant.Refusal is { } refusal)
        {
            if (refusal == PortalRefusal.Gone)
            {
                return StatusCode(StatusCodes.Status410Gone, "This portal link has expired or was revoked. Ask for a new one.");
            }

            if (Failures.Record(HttpContext) is { } wait)
            {
                Response.Headers.RetryAfter = ((int)wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                return StatusCode(StatusCodes.Status429TooManyRequests, "Too many links that open nothing from this address.");
            }

            return Unauthorized("This is not a portal link.");
        }

        await HttpContext.SignInAsync(PortalAuthentication.Scheme, PortalAuthentication.Principal(grant),
            new AuthenticationProperties { ExpiresUtc = grant.ExpiresAt, IsPersistent = false, AllowRefresh = false });

        // Not a 302: a link opened from a mail or chat site is a cross-site navigation, and browsers hold a
        // SameSite=Strict cookie back from every redirect of it. A page of ours that sends the browser on starts a
        // same-site navigation, which carries the session.
        return Content(OpeningPage, "text/html; charset=utf-8");
    }

    /// <summary>An empty filter: what the edit form sends to remove the endpoint's filter.</summary>
    private static readonly JsonElement NoFilter = JsonSerializer.SerializeToElement(new { });

    private const string OpeningPage = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=/portal"><title>Opening the portal</title>
        <link rel="stylesheet" href="/portal/assets/dashboard.css"></head>
        <body><main><p>Opening the portal… <a href="/portal">Continue</a></p></main></body></html>
        """;

    [HttpGet("")]
    public async Task<IActionResult> Home(string? cursor, CancellationToken cancellationToken) =>
        View(new PortalHome(AppName, ReadOnly, await mediator.Send(new ListSubscriptions(50, null, cursor, null, App), cancellationToken)));

    [HttpPost("subscriptions")]
    public Task<IActionResult> Create(CancellationToken cancellationToken) => WriteAsync(async () =>
    {
        var form = await FormAsync(cancellationToken);
        var created = await mediator.Send(new CreateSubscription(new SubscriptionInput
        {
            Url = FieldOrNull(form["url"]),
            Events = Patterns(form["events"]),
            Description = FieldOrNull(form["description"]),
            Filter = Filter(form["filter"]),
        }, App), cancellationToken);
        return await SubscriptionPageAsync(created.Id, cancellationToken, secret: created.Secret);
    }, "/portal");

    [HttpGet("subscriptions/{id:guid}")]
    public async Task<IActionResult> Subscription(Guid id, CancellationToken cancellationToken) => await SubscriptionPageAsync(id, cancellationToken);

    [HttpPost("subscriptions/{id:guid}")]
    public Task<IActionResult> Update(Guid id, CancellationToken cancellationToken) => WriteAsync(async () =>
    {
        var form = await FormAsync(cancellationToken);
        await mediator.Send(new UpdateSubscription(id, new SubscriptionInput
        {
            Url = FieldOrNull(form["url"]),
            Events = Patterns(form["events"]),
            Description = FieldOrNull(form["description"]),
            Filter = Filter(form["filter"]) ?? NoFilter,
        }, App), cancellationToken);
        return Redirect($"/portal/subscriptions/{id}");
    }, $"/portal/subscriptions/{id}");

    [HttpPost("subscriptions/{id:guid}/{state:regex(^(disable|enable)$)}")]
    public Task<IActionResult> Toggle(Guid id, string state, CancellationToken cancellationToken) => WriteAsync(async () =>
    {
        await FormAsync(cancellationToken);
        await mediator.Send(new UpdateSubscription(id, new SubscriptionInput { IsActive = state == "enable" }, App), cancellationToken);
        return Redirect($"/portal/subscriptions/{id}");
    }, $"/portal/subscriptions/{id}");

    [HttpPost("subscriptions/{id:guid}/test")]
    public Task<IActionResult> Test(Guid id, CancellationToken cancellationToken) => WriteAsync(async () =>
    {
        await FormAsync(cancellationToken);
        var result = await mediator.Send(new TestSubscription(id, null, null, App), cancellationToken);
        return await SubscriptionPageAsync(id, cancellationToken, test: result);
    }, $"/portal/subscriptions/{id}");

    [HttpPost("subscriptions/{id:guid}/rotate")]
    public Task<IActionResult> Rotate(Guid id, CancellationToken cancellationToken) => WriteAsync(async () =>
    {
        await FormAsync(cancellationToken);
        var rotated = await mediator.Send(new RotateSubscriptionSecret(id, null, App), cancellationToken);
        return await SubscriptionPageAsync(id, cancellationToken, secret: rotated.Secret);
    }, $"/portal/subscriptions/{id}");

    /// <summary>The filter editor's dry run: what the typed filter would let through of the recent events. Read-only sessions may run it.</summary>
    [HttpPost("subscriptions/{id:guid}/filter/test")]
    public async Task<IActionResult> DryRun(Guid id, CancellationToken cancellationToken)
    {
        var form = await FormAsync(cancellationToken);
        var text = form["filter"].ToString();
        try
        {
            var result = await mediator.Send(new TestSubscriptionFilter(id, Filter(form["filter"]), 100, App), cancellationToken);
            return await SubscriptionPageAsync(id, cancellationToken, dryRun: (text, result));
        }
        catch (FluentValidation.ValidationException ex)
        {
            return await SubscriptionPageAsync(id, cancellationToken, error: Problem(ex));
        }
    }

    [HttpGet("deliveries")]
    public async Task<IActionResult> Deliveries(
        string? status, [FromQuery(Name = "event")] string? eventType, DateTimeOffset? since, DateTimeOffset? until, string? cursor, CancellationToken cancellationToken)
    {
        var filter = new DeliveryFilter(string.IsNullOrEmpty(status) ? null : status, null, string.IsNullOrEmpty(eventType) ? null : eventType, since, until);
        var page = await mediator.Send(new ListDeliveries(filter, 50, cursor, App), cancellationToken);
        return View(new PortalDeliveries(AppName, ReadOnly, page, filter));
    }

    [HttpGet("deliveries/{id:guid}")]
    public async Task<IActionResult> Delivery(Guid id, CancellationToken cancellationToken) =>
        View(new PortalDelivery(AppName, ReadOnly, await mediator.Send(new GetDelivery(id, App), cancellationToken)));

    [HttpPost("deliveries/{id:guid}/retry")]
    public Task<IActionResult> Retry(Guid id, CancellationToken cancellationToken) => WriteAsync(async () =>
    {
        await FormAsync(cancellationToken);
        await mediator.Send(new RetryDelivery(id, App), cancellationToken);
        return Redirect($"/portal/deliveries/{id}");
    }, $"/portal/deliveries/{id}");

    /// <summary>Retries every failed (dead) delivery of the application, as a background job.</summary>
    [HttpPost("deliveries/retry")]
    public Task<IActionResult> RetryAll(CancellationToken cancellationToken) => WriteAsync(async () =>
    {
        await FormAsync(cancellationToken);
        var job = await mediator.Send(new StartDeliveryRetry(new DeliveryFilter(), App), cancellationToken);
        var page = await mediator.Send(new ListDeliveries(new DeliveryFilter(), 50, null, App), cancellationToken);
        return View("Deliveries", new PortalDeliveries(AppName, ReadOnly, page, new DeliveryFilter(),
            string.Create(CultureInfo.InvariantCulture, $"{job.Total} failed deliveries are being sent again.")));
    }, "/portal/deliveries");

    [HttpGet("event-types")]
    public async Task<IActionResult> EventTypes(CancellationToken cancellationToken) =>
        View(new PortalEventTypes(AppName, ReadOnly, await mediator.Send(new ListEventTypes(App), cancellationToken)));

    [HttpPost("logout")]
    public async Task<IActionResult> Logout(CancellationToken cancellationToken)
    {
        await FormAsync(cancellationToken);
        await HttpContext.SignOutAsync(PortalAuthentication.Scheme);
        return View("Message", new PortalMessage(AppName, true, "Signed out", "The portal session has ended. Open your portal link again to come back.", ""));
    }

    private async Task<IActionResult> SubscriptionPageAsync(
        Guid id, CancellationToken cancellationToken, string? secret = null, (string, FilterTestResult)? dryRun = null, TestSendResult? test = null, string? error = null)
    {
        var subscription = await mediator.Send(new GetSubscription(id, App), cancellationToken);
        var logs = await mediator.Send(new GetSubscriptionLogs(id, 20, null, App), cancellationToken);
        return View("Subscription", new PortalSubscription(AppName, ReadOnly, subscription, logs, secret, dryRun, test, error));
    }

    /// <summary>
    /// A change: refused for a read-only session; a refused change is shown on a page (with the reason), not as JSON.
    /// </summary>
    private async Task<IActionResult> WriteAsync(Func<Task<IActionResult>> change, string back)
    {
        if (ReadOnly)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return View("Message", new PortalMessage(AppName, ReadOnly, "Read-only", "This portal link may only look, not change anything.", back));
        }

        try
        {
            return await change();
        }
        catch (Exception ex) when (ex is FluentValidation.ValidationException or ConflictException or ForbiddenException)
        {
            Response.StatusCode = ex is ConflictException ? StatusCodes.Status409Conflict : ex is ForbiddenException ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest;
            return View("Message", new PortalMessage(AppName, ReadOnly, "Not done", Problem(ex), back));
        }
    }

    private static string Problem(Exception ex) => ex is FluentValidation.ValidationException validation && validation.Errors.Any()
        ? string.Join(" ", validation.Errors.Select(e => e.ErrorMessage))
        : ex.Message;

    private static List<string>? Patterns(Microsoft.Extensions.Primitives.StringValues field) =>
        FieldOrNull(field)?.Split([',', ' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    /// <summary>The filter field's JSON; text that is not JSON is refused as the API refuses an invalid filter.</summary>
    private static JsonElement? Filter(Microsoft.Extensions.Primitives.StringValues field)
    {
        if (FieldOrNull(field) is not { } text)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new FluentValidation.ValidationException($"filter: not JSON ({ex.Message})");
        }
    }
}
