using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Api.Admin;
using Webhooks.Application.Delivery;

namespace Webhooks.Api.Delivery;

/// <summary>The dashboard's subscription pages: list and create, detail with logs, test send, rotation, enable/disable, replay.</summary>
[Authorize(Policy = AdminKeyHandler.Policy)]
[Route("admin/subscriptions")]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class SubscriptionsDashboardController(IMediator mediator, IAntiforgery antiforgery) : DashboardControllerBase(antiforgery)
{
    [HttpGet("")]
    public async Task<IActionResult> List(string? cursor, CancellationToken cancellationToken)
    {
        var page = await mediator.Send(new ListSubscriptions(50, null, cursor, null), cancellationToken);
        var token = Token();
        var html = new Html();
        html.Table(["url", "events", "state", "delivered", "failed", "last triggered", "last error"], page.Items.Select(s => new[]
        {
            Html.Link($"/admin/subscriptions/{s.Id}", s.Url), Html.E(string.Join(", ", s.Events)), State(s),
            Html.E(s.SuccessCount), Html.E(s.FailureCount), Html.E(s.LastTriggeredAt), Html.E(s.LastError),
        }));
        if (page.NextCursor is { } next)
        {
            html.Raw(Html.Link($"/admin/subscriptions?cursor={next}", "More →"));
        }

        html.Tag("h2", "New subscription").Raw(Html.Button("/admin/subscriptions", "Create", token, null,
            "<input name=\"url\" placeholder=\"https://partner.example.com/webhooks\" size=\"40\" required>" +
            "<input name=\"events\" placeholder=\"order.*, invoice.paid\" size=\"30\" required>" +
            "<input name=\"description\" placeholder=\"description\" size=\"20\">"));
        return Page(html, "Subscriptions", "subscriptions");
    }

    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Detail(Guid id, string? cursor, CancellationToken cancellationToken)
    {
        var s = await mediator.Send(new GetSubscription(id), cancellationToken);
        var logs = await mediator.Send(new GetSubscriptionLogs(id, 50, cursor), cancellationToken);
        var token = Token();
        var html = new Html();
        html.Raw($"<p>{Html.E(s.Url)} · {Html.E(string.Join(", ", s.Events))} · {Html.E(s.SignatureScheme)} signatures · timeout {s.TimeoutSeconds} s · {s.RetryCount} retries{(s.Description is null ? "" : " · " + Html.E(s.Description))}</p>");
        html.Raw("<div class=\"cards\">")
            .Raw(Card("State", s.IsActive ? "active" : "disabled", s.DisabledReason))
            .Raw(Card("Delivered", s.SuccessCount.ToString(CultureInfo.InvariantCulture), s.LastTriggeredAt is { } at ? $"last {at:u}" : "never"))
            .Raw(Card("Failed attempts", s.FailureCount.ToString(CultureInfo.InvariantCulture), s.LastError))
            .Raw(Card("Secrets", s.Secrets.Count.ToString(CultureInfo.InvariantCulture), string.Join(", ", s.Secrets.Select(x => x.Hint + (x.ExpiresAt is { } e ? $" until {e:u}" : "")))))
            .Raw("</div><p>");
        if (s.IsActive)
        {
            html.Raw(Html.Button($"/admin/subscriptions/{id}/disable", "Disable", token, "Disable this subscription? Events for it are not delivered until it is enabled again."));
        }
        else
        {
            html.Raw(Html.Button($"/admin/subscriptions/{id}/enable", "Enable and replay what it missed", token,
                "Enable this subscription and deliver the events it missed while disabled?"));
        }

        html.Raw(Html.Button($"/admin/subscriptions/{id}/rotate", "Rotate secret", token, "Create a new secret? The current one keeps signing for 24 hours."))
            .Raw(Html.Button($"/admin/subscriptions/{id}/delete", "Delete", token, "Delete this subscription, its deliveries and its logs?"))
            .Raw("</p>");
        html.Tag("h2", "Edit").Raw(Html.Button($"/admin/subscriptions/{id}/edit", "Save", token, null,
            $"<input name=\"url\" value=\"{Html.E(s.Url)}\" size=\"40\" required>" +
            $"<input name=\"events\" value=\"{Html.E(string.Join(", ", s.Events))}\" size=\"30\" required>" +
            $"<input name=\"description\" value=\"{Html.E(s.Description)}\" placeholder=\"description\" size=\"16\">" +
            $"<input name=\"timeout_seconds\" type=\"number\" min=\"1\" max=\"300\" value=\"{s.TimeoutSeconds}\" title=\"timeout (s)\">" +
            $"<input name=\"retry_count\" type=\"number\" min=\"0\" max=\"10\" value=\"{s.RetryCount}\" title=\"retries\">"));
        html.Tag("h2", "Replay").Raw(Html.Button($"/admin/subscriptions/{id}/replay", "Replay failed and missed deliveries since", token,
            "Deliver again what this subscription gave up on or missed since that time?",
            $"<input name=\"since\" type=\"datetime-local\" value=\"{(s.DisabledAt ?? DateTimeOffset.UtcNow.AddDays(-1)).UtcDateTime:yyyy-MM-ddTHH:mm}\" required> UTC "));
        html.Tag("h2", "Test send").Raw(Html.Button($"/admin/subscriptions/{id}/test", "Send a test event", token, null,
            "<input name=\"event\" value=\"webhook.test\" size=\"20\"><input name=\"payload\" value=\"{&quot;test&quot;: true}\" size=\"40\">"));
        html.Tag("h2", "Log (newest first)").Table(["at", "event", "attempt", "status", "time", "error", "response"], logs.Items.Select(l => new[]
        {
            Html.E(l.CreatedAt), Html.E(l.Event), Html.E(l.DeliveryId is null ? "test" : l.Attempt.ToString(CultureInfo.InvariantCulture)),
            Html.E(l.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "—"), Html.E($"{l.ResponseTimeMs} ms"), Html.E(l.Error),
            Html.E(l.ResponseBody is { Length: > 120 } body ? body[..120] + "…" : l.ResponseBody),
        }));
        if (logs.NextCursor is { } next)
        {
            html.Raw(Html.Link($"/admin/subscriptions/{id}?cursor={next}", "Older →"));
        }

        return Page(html, "Subscription", "subscriptions");
    }

    [HttpPost("")]
    public async Task<IActionResult> Create(CancellationToken cancellationToken)
    {
        var form = await FormAsync(cancellationToken);
        var created = await mediator.Send(new CreateSubscription(new SubscriptionInput
        {
            Url = Value(form["url"]),
            Events = (Value(form["events"]) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
            Description = Value(form["description"]),
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
            Url = Value(form["url"]),
            Events = Value(form["events"]) is { } events ? events.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() : null,
            Description = Value(form["description"]),
            TimeoutSeconds = int.TryParse(Value(form["timeout_seconds"]), CultureInfo.InvariantCulture, out var timeout) ? timeout : null,
            RetryCount = int.TryParse(Value(form["retry_count"]), CultureInfo.InvariantCulture, out var retries) ? retries : null,
        }), cancellationToken);
        return Redirect($"/admin/subscriptions/{id}");
    }

    [HttpPost("{id:guid}/replay")]
    public async Task<IActionResult> Replay(Guid id, CancellationToken cancellationToken)
    {
        var form = await FormAsync(cancellationToken);
        var since = DateTime.TryParse(Value(form["since"]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? new DateTimeOffset(parsed, TimeSpan.Zero)
            : throw new FluentValidation.ValidationException("since must be a date and time (UTC).");
        var replay = await mediator.Send(new ReplaySubscription(id, since), cancellationToken);
        return Result(id, "Replay queued", $"{replay.Queued} deliveries queued again (failed or missed since {replay.Since:u}).");
    }

    [HttpPost("{id:guid}/disable")]
    public Task<IActionResult> Disable(Guid id, CancellationToken cancellationToken) =>
        Act(() => mediator.Send(new UpdateSubscription(id, new SubscriptionInput { IsActive = false }), cancellationToken), $"/admin/subscriptions/{id}");

    [HttpPost("{id:guid}/rotate")]
    public async Task<IActionResult> Rotate(Guid id, CancellationToken cancellationToken)
    {
        _ = await FormAsync(cancellationToken);
        var rotated = await mediator.Send(new RotateSubscriptionSecret(id, null), cancellationToken);
        return Result(id, "Secret rotated", $"The new signing secret, shown only now (the previous one keeps signing for 24 hours):\n\n{rotated.Secret}");
    }

    [HttpPost("{id:guid}/delete")]
    public Task<IActionResult> Delete(Guid id, CancellationToken cancellationToken) =>
        Act(() => mediator.Send(new DeleteSubscription(id), cancellationToken), "/admin/subscriptions");

    [HttpPost("{id:guid}/test")]
    public async Task<IActionResult> Test(Guid id, CancellationToken cancellationToken)
    {
        var form = await FormAsync(cancellationToken);
        System.Text.Json.JsonElement? payload = null;
        if (Value(form["payload"]) is { } text)
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

        var result = await mediator.Send(new TestSubscription(id, Value(form["event"]), payload), cancellationToken);
        return Result(id, result.Success ? "Test send succeeded" : "Test send failed",
            $"status {result.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "none"} · {result.ResponseTimeMs} ms{(result.Error is null ? "" : " · " + result.Error)}\n\n{result.ResponseBody}");
    }

    /// <summary>An action's outcome on a page of its own (a secret is shown once and never put in a URL or cookie).</summary>
    private ContentResult Result(Guid id, string title, string text) =>
        Page(new Html().Tag("pre", text).Raw("<p>" + Html.Link($"/admin/subscriptions/{id}", "Back to the subscription") + "</p>"), title, "subscriptions");

    private static string State(SubscriptionView s) => s.IsActive ? "active" : Html.E("disabled: " + (s.DisabledReason ?? ""));
}
