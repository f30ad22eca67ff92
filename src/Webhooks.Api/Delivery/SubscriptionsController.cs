using System.Text.Json;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Api.Admin;
using Webhooks.Application.Common.Paging;
using Webhooks.Application.Delivery.Subscriptions;

namespace Webhooks.Api.Delivery;

/// <summary>Subscribers' endpoints (admin key required): CRUD, logs, test send, secret rotation, replay.</summary>
[ApiController]
[Authorize(Policy = AdminKeyHandler.Policy)]
[Route("api/v1/subscriptions")]
public sealed class SubscriptionsController(IMediator mediator) : ControllerBase
{
    [HttpGet]
    public async Task<SubscriptionPage> List([FromQuery] int? limit, [FromQuery] int? offset, [FromQuery] string? cursor, [FromQuery(Name = "is_active")] bool? isActive, CancellationToken cancellationToken)
    {
        var page = await mediator.Send(new ListSubscriptions(limit, offset, cursor, isActive), cancellationToken);
        return page with { Items = [.. page.Items.Select(SubscriptionHeaders.Masked)] };
    }

    /// <summary>Creates a subscription; the answer carries its secret, the only time it is shown.</summary>
    [HttpPost]
    public async Task<IActionResult> Create([FromBody] SubscriptionInput input, CancellationToken cancellationToken)
    {
        var created = await mediator.Send(new CreateSubscription(input), cancellationToken);
        return CreatedAtAction(nameof(Get), new { id = created.Id }, SubscriptionHeaders.Masked(created));
    }

    [HttpGet("{id:guid}")]
    public async Task<SubscriptionView> Get(Guid id, CancellationToken cancellationToken) =>
        SubscriptionHeaders.Masked(await mediator.Send(new GetSubscription(id), cancellationToken));

    /// <summary>Changes the fields the body sets; <c>{"is_active": true}</c> re-enables a disabled subscription.</summary>
    [HttpPut("{id:guid}")]
    public async Task<SubscriptionView> Update(Guid id, [FromBody] SubscriptionInput patch, CancellationToken cancellationToken) =>
        SubscriptionHeaders.Masked(await mediator.Send(new UpdateSubscription(id, patch), cancellationToken));

    [HttpDelete("{id:guid}")]
    public async Task<IActionResult> Delete(Guid id, CancellationToken cancellationToken)
    {
        await mediator.Send(new DeleteSubscription(id), cancellationToken);
        return NoContent();
    }

    [HttpPost("{id:guid}/test")]
    public Task<TestSendResult> Test(Guid id, [FromBody] TestRequest? request, CancellationToken cancellationToken) =>
        mediator.Send(new TestSubscription(id, request?.Event, request?.Payload), cancellationToken);

    [HttpGet("{id:guid}/logs")]
    public Task<Page<AttemptLog>> Logs(Guid id, [FromQuery] int? limit, [FromQuery] string? cursor, CancellationToken cancellationToken) =>
        mediator.Send(new GetSubscriptionLogs(id, limit, cursor), cancellationToken);

    /// <summary>A new secret, shown once; the current ones keep signing for the overlap (default 24 h).</summary>
    [HttpPost("{id:guid}/secret/rotate")]
    public async Task<SubscriptionView> Rotate(Guid id, [FromBody] RotateRequest? request, CancellationToken cancellationToken) =>
        SubscriptionHeaders.Masked(await mediator.Send(new RotateSubscriptionSecret(id, request?.ExpirePreviousAfterSeconds), cancellationToken));

    /// <summary>Queues again what the subscription gave up on or missed since <c>since</c> (default: since it was disabled).</summary>
    [HttpPost("{id:guid}/replay")]
    public Task<ReplayResult> Replay(Guid id, [FromBody] ReplayRequest? request, CancellationToken cancellationToken) =>
        mediator.Send(new ReplaySubscription(id, request?.Since), cancellationToken);
}

public sealed record TestRequest(string? Event = null, JsonElement? Payload = null);

public sealed record RotateRequest(int? ExpirePreviousAfterSeconds = null);

public sealed record ReplayRequest(DateTimeOffset? Since = null);
