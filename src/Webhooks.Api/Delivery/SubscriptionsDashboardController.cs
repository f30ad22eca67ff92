using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Api.Admin;
using Webhooks.Application.Common.Paging;
using Webhooks.Application.Delivery.Subscriptions;

namespace Webhooks.Api.Delivery;

/// <summary>The dashboard's subscription pages: list and create, detail with logs, test send, rotation, enable/disable, replay.</summary>
[Authorize(Policy = AdminKeyHandler.Policy)]
[Route("admin/subscriptions")]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class SubscriptionsDashboardController(IMediator mediator, IAntiforgery antiforgery, TimeProvider timeProvider) : DashboardControllerBase(antiforgery)
{
    [HttpGet("")]
    public async Task<IActionResult> List(string? cursor, CancellationToken cancellationToken)
    {
        var page = await mediator.Send(new ListSubscriptions(50, null, cursor, null), cancellationToken);
        return View(new SubscriptionListPage(page, new Pager("/admin/subscriptions", [], page.NextCursor, "More →")));
    }

    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Detail(Guid id, string? cursor, CancellationToken cancellationToken)
    {
        var subscription = await mediator.Send(new GetSubscription(id), cancellationToken);
        var logs = await mediator.Send(new GetSubscriptionLogs(id, 50, cursor), cancellationToken);
        var replaySince = (subscription.DisabledAt ?? timeProvider.GetUtcNow().AddDays(-1)).UtcDateTime;
        return View(new SubscriptionDetailPage(subscription, logs, replaySince, new Pager($"/admin/subscriptions/{id}", [], logs.NextCursor)));
    }

    [HttpPost("")]
    public async Task<IActionResult> Create(CancellationToken cancellationToken)
    {
        var form = await FormAsync(cancellationToken);
        var created = await mediator.Send(new CreateSubscription(new SubscriptionInput
        {
            Url = FieldOrNull(form["url"]),
            Events = (FieldOrNull(form["events"]) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
            Description = FieldOrNull(form["description"]),
        }), cancellationToken);
        return Result(created.Id, "Subscription created", $"Its signing secret, shown only now — give it to the partner:\n\n{created.Secret}");
    }

    [HttpPost("{id:guid}/enable")]
    public async Task<IActionResult> Enable(Guid id, CancellationToken cancellationToken)
    {
        _ = await FormAsync(cancellationToken);
        var before = await mediator.Send(new GetSubscription(id), cancellationToken);
        await mediator.Send(new UpdateSubscription(id, new SubscriptionInput { IsActive = true }), cancellationToken);
        var replay = await mediator.Send(new ReplaySubscription(id, before.DisabledAt), cancellationToken);
        return Result(id, "Subscription enabled", $"{replay.Queued} deliveries queued again (missed or given up since {replay.Since:u}).");
    }

    [HttpPost("{id:guid}/edit")]
    public async Task<IActionResult> Edit(Guid id, CancellationToken cancellationToken)
    {
        var form = await FormAsync(cancellationToken);
        await mediator.Send(new UpdateSubscription(id, new SubscriptionInput
        {
            Url = FieldOrNull(form["url"]),
            Events = FieldOrNull(form["events"]) is { } events ? events.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() : null,
            Description = FieldOrNull(form["description"]),
            TimeoutSeconds = int.TryParse(FieldOrNull(form["timeout_seconds"]), CultureInfo.InvariantCulture, out var timeout) ? timeout : null,
            RetryCount = int.TryParse(FieldOrNull(form["retry_count"]), CultureInfo.InvariantCulture, out var retries) ? retries : null,
        }), cancellationToken);
        return Redirect($"/admin/subscriptions/{id}");
    }

    [HttpPost("{id:guid}/replay")]
    public async Task<IActionResult> Replay(Guid id, CancellationToken cancellationToken)
    {
        var form = await FormAsync(cancellationToken);
        var since = DateTime.TryParse(FieldOrNull(form["since"]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? new DateTimeOffset(parsed, TimeSpan.Zero)
            : throw new FluentValidation.ValidationException("since must be a date and time (UTC).");
        var replay = await mediator.Send(new ReplaySubscription(id, since), cancellationToken);
        return Result(id, "Replay queued", $"{replay.Queued} deliveries queued again (failed or missed since {replay.Since:u}).");
    }

    [HttpPost("{id:guid}/disable")]
    public Task<IActionResult> Disable(Guid id, CancellationToken cancellationToken) =>
        PostThenRedirectAsync(() => mediator.Send(new UpdateSubscription(id, new SubscriptionInput { IsActive = false }), cancellationToken), $"/admin/subscriptions/{id}");

    [HttpPost("{id:guid}/rotate")]
    public async Task<IActionResult> Rotate(Guid id, CancellationToken cancellationToken)
    {
        _ = await FormAsync(cancellationToken);
        var rotated = await mediator.Send(new RotateSubscriptionSecret(id, null), cancellationToken);
        return Result(id, "Secret rotated", $"The new signing secret, shown only now (the previous one keeps signing for 24 hours):\n\n{rotated.Secret}");
    }

    [HttpPost("{id:guid}/delete")]
    public Task<IActionResult> Delete(Guid id, CancellationToken cancellationToken) =>
        PostThenRedirectAsync(() => mediator.Send(new DeleteSubscription(id), cancellationToken), "/admin/subscriptions");

    [HttpPost("{id:guid}/test")]
    public async Task<IActionResult> Test(Guid id, CancellationToken cancellationToken)
    {
        var form = await FormAsync(cancellationToken);
        System.Text.Json.JsonElement? payload = null;
        if (FieldOrNull(form["payload"]) is { } text)
        {
            try
            {
                payload = System.Text.Json.JsonDocument.Parse(text).RootElement;
            }
            catch (System.Text.Json.JsonException)
            {
                throw new FluentValidation.ValidationException("payload must be JSON.");
            }
        }

        var result = await mediator.Send(new TestSubscription(id, FieldOrNull(form["event"]), payload), cancellationToken);
        return Result(id, result.Success ? "Test send succeeded" : "Test send failed",
            $"status {result.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "none"} · {result.ResponseTimeMs} ms{(result.Error is null ? "" : " · " + result.Error)}\n\n{result.ResponseBody}");
    }

    /// <summary>An action's outcome on a page of its own (a secret is shown once and never put in a URL or cookie).</summary>
    private ViewResult Result(Guid id, string title, string text)
    {
        ViewData["Title"] = title;
        return View("Result", new ActionOutcome(id, text));
    }
}

public sealed record SubscriptionListPage(SubscriptionPage Subscriptions, Pager Pager);

public sealed record SubscriptionDetailPage(SubscriptionView Subscription, Page<AttemptLog> Log, DateTime ReplaySince, Pager Pager);

public sealed record ActionOutcome(Guid SubscriptionId, string Text);
