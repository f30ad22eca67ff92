using System.Text.Json;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Api.Admin;
using Webhooks.Application.Common.Paging;
using Webhooks.Application.Delivery.Subscriptions;

namespace Webhooks.Api.Delivery;

/// <summary>
/// Subscribers' endpoints: CRUD, logs, test send, secret rotation, replay, filter dry run. Under /api/v1/subscriptions
/// for operators (every application); under /api/v1/applications/{app}/subscriptions for one application, with an
/// operator's key or that application's own (the Application's scope behaviour decides, not this controller).
/// </summary>
[ApiController]
[Authorize(Policy = AdminKeyHandler.ApplicationPolicy)]
[Route("api/v1/subscriptions")]
[Route("api/v1/applications/{app}/subscriptions")]
public sealed class SubscriptionsController(IMediator mediator) : ControllerBase
{
    /// <summary>The application the route names, or null on the operators' route.</summary>
    private string? App => RouteData.Values.TryGetValue("app", out var app) ? app as string : null;

    [HttpGet]
    public async Task<SubscriptionPage> List([FromQuery] int? limit, [FromQuery] int? offset, [FromQuery] string? cursor, [FromQuery(Name = "is_active")] bool? isActive, CancellationToken cancellationToken)
    {
        var page = await mediator.Send(new ListSubscriptions(limit, offset, cursor, isActive, App), cancellationToken);
        return page with { Items = [.. page.Items.Select(SubscriptionHeaders.Masked)] };
    }

    /// <summary>Creates a subscription; the answer carries its secret, the only time it is shown.</summary>
    [HttpPost]
    public async Task<IActionResult> Create([FromBody] SubscriptionInput input, CancellationToken cancellationToken)
    {
        var created = await mediator.Send(new CreateSubscription(input, App), cancellationToken);
        return CreatedAtAction(nameof(Get), new { id = created.Id, app = App }, SubscriptionHeaders.Masked(created));
    }

    [HttpGet("{id:guid}")]
    public async Task<SubscriptionView> Get(Guid id, CancellationToken cancellationToken) =>
        SubscriptionHeaders.Masked(await mediator.Send(new GetSubscription(id, App), cancellationToken));

    /// <summary>Changes the fields the body sets; <c>{"is_active": true}</c> re-enables a disabled subscription.</summary>
    [HttpPut("{id:guid}")]
    public async Task<SubscriptionView> Update(Guid id, [FromBody] SubscriptionInput patch, CancellationToken cancellationToken) =>
        SubscriptionHeaders.Masked(await mediator.Send(new UpdateSubscription(id, patch, App), cancellationToken));

    [HttpDelete("{id:guid}")]
    public async Task<IActionResult> Delete(Guid id, CancellationToken cancellationToken)
    {
        await mediator.Send(new DeleteSubscription(id, App), cancellationToken);
        return NoContent();
    }

    [HttpPost("{id:guid}/test")]
    public Task<TestSendResult> Test(Guid id, [FromBody] TestRequest? request, CancellationToken cancellationToken) =>
        mediator.Send(new TestSubscription(id, request?.Event, request?.Payload, App), cancellationToken);

    [HttpGet("{id:guid}/logs")]
    public Task<Page<AttemptLog>> Logs(Guid id, [FromQuery] int? limit, [FromQuery] string? cursor, CancellationToken cancellationToken) =>
        mediator.Send(new GetSubscriptionLogs(id, limit, cursor, App), cancellationToken);

    /// <summary>A new secret, shown once; the current ones keep signing for the overlap (default 24 h).</summary>
    [HttpPost("{id:guid}/secret/rotate")]
    public async Task<SubscriptionView> Rotate(Guid id, [FromBody] RotateRequest? request, CancellationToken cancellationToken) =>
        SubscriptionHeaders.Masked(await mediator.Send(new RotateSubscriptionSecret(id, request?.ExpirePreviousAfterSeconds, App), cancellationToken));

    /// <summary>Queues again what the subscription gave up on or missed since <c>since</c> (default: since it was disabled).</summary>
    [HttpPost("{id:guid}/replay")]
    public Task<ReplayResult> Replay(Guid id, [FromBody] ReplayRequest? request, CancellationToken cancellationToken) =>
        mediator.Send(new ReplaySubscription(id, request?.Since, App), cancellationToken);

    /// <summary>A dry run of a filter (the body's, else the subscription's) over the application's recent events; nothing is sent.</summary>
    [HttpPost("{id:guid}/filter/test")]
    public Task<Application.Tenants.FilterTestResult> TestFilter(Guid id, [FromBody] FilterTestRequest? request, CancellationToken cancellationToken) =>
        mediator.Send(new TestSubscriptionFilter(id, request?.Filter, request?.Limit, App), cancellationToken);
}

public sealed record FilterTestRequest(JsonElement? Filter = null, int? Limit = null);

public sealed record TestRequest(string? Event = null, JsonElement? Payload = null);

public sealed record RotateRequest(int? ExpirePreviousAfterSeconds = null);

public sealed record ReplayRequest(DateTimeOffset? Since = null);
