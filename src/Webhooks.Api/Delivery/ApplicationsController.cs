using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Api.Admin;
using Webhooks.Application.Common.Paging;
using Webhooks.Application.Tenants;

namespace Webhooks.Api.Delivery;

/// <summary>
/// Applications (contract v3), the tenants of outbound delivery: created, listed and deleted with an operator's key,
/// each with its own keys and portal links.
/// </summary>
[ApiController]
[Route("api/v1/applications")]
public sealed class ApplicationsController(IMediator mediator) : ControllerBase
{
    [HttpPost]
    [Authorize(Policy = AdminKeyHandler.Policy)]
    public async Task<IActionResult> Create([FromBody] ApplicationRequest request, CancellationToken cancellationToken)
    {
        var created = await mediator.Send(new CreateApplication(request.Name, request.Uid), cancellationToken);
        return CreatedAtAction(nameof(Get), new { app = created.Id }, created);
    }

    [HttpGet]
    [Authorize(Policy = AdminKeyHandler.Policy)]
    public Task<Page<ApplicationView>> List([FromQuery] int? limit, [FromQuery] string? cursor, CancellationToken cancellationToken) =>
        mediator.Send(new ListApplications(limit, cursor), cancellationToken);

    [HttpGet("{app}")]
    [Authorize(Policy = AdminKeyHandler.ApplicationPolicy)]
    public Task<ApplicationView> Get(string app, CancellationToken cancellationToken) => mediator.Send(new GetApplication(app), cancellationToken);

    [HttpDelete("{app}")]
    [Authorize(Policy = AdminKeyHandler.Policy)]
    public async Task<IActionResult> Delete(string app, CancellationToken cancellationToken)
    {
        await mediator.Send(new DeleteApplication(app), cancellationToken);
        return NoContent();
    }

    /// <summary>A key for the application, shown once: it may publish to it and manage its subscriptions and deliveries.</summary>
    [HttpPost("{app}/keys")]
    [Authorize(Policy = AdminKeyHandler.Policy)]
    public async Task<IActionResult> CreateKey(string app, [FromBody] KeyRequest request, CancellationToken cancellationToken) =>
        StatusCode(StatusCodes.Status201Created, await mediator.Send(new CreateApplicationKey(app, request.Name), cancellationToken));

    [HttpDelete("{app}/keys/{id:guid}")]
    [Authorize(Policy = AdminKeyHandler.Policy)]
    public async Task<IActionResult> DeleteKey(string app, Guid id, CancellationToken cancellationToken)
    {
        await mediator.Send(new DeleteApplicationKey(app, id), cancellationToken);
        return NoContent();
    }

    /// <summary>A link that opens the partner portal for this application (the url carries its token, shown once).</summary>
    [HttpPost("{app}/portal-links")]
    [Authorize(Policy = AdminKeyHandler.ApplicationPolicy)]
    public async Task<IActionResult> CreatePortalLink(string app, [FromBody] PortalLinkRequest? request, CancellationToken cancellationToken) =>
        StatusCode(StatusCodes.Status201Created, await mediator.Send(new CreatePortalLink(app, request?.ExpiresInSeconds, request?.ReadOnly), cancellationToken));

    /// <summary>Revokes the link and ends the portal sessions it opened.</summary>
    [HttpDelete("{app}/portal-links/{id:guid}")]
    [Authorize(Policy = AdminKeyHandler.ApplicationPolicy)]
    public async Task<IActionResult> RevokePortalLink(string app, Guid id, CancellationToken cancellationToken)
    {
        await mediator.Send(new RevokePortalLink(app, id), cancellationToken);
        return NoContent();
    }
}

public sealed record ApplicationRequest(string? Name, string? Uid = null);

public sealed record KeyRequest(string? Name);

public sealed record PortalLinkRequest(int? ExpiresInSeconds = null, bool? ReadOnly = null);
