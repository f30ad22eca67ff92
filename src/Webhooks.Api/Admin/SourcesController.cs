using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Application.Admin.Sources;
using Webhooks.Application.Common.Paging;
using Webhooks.Application.Sources;

namespace Webhooks.Api.Admin;

/// <summary>Sources at run time: create, change, enable/disable, delete, and rotate secrets. Secrets are never returned.</summary>
[ApiController]
[Authorize(Policy = AdminKeyHandler.Policy)]
[Route("api/v1/admin/sources")]
public sealed class SourcesController(IMediator mediator) : ControllerBase
{
    [HttpGet]
    public Task<Page<SourceView>> List(CancellationToken cancellationToken) => mediator.Send(new ListSources(), cancellationToken);

    [HttpGet("{name}")]
    public Task<SourceView> Get(string name, CancellationToken cancellationToken) => mediator.Send(new GetSource(name), cancellationToken);

    [HttpPost]
    public async Task<IActionResult> Create([FromBody] NewSource source, CancellationToken cancellationToken)
    {
        var created = await mediator.Send(new CreateSource(source), cancellationToken);
        return CreatedAtAction(nameof(Get), new { name = created.Name }, created);
    }

    /// <summary>Changes the fields the body sets (e.g. <c>{"enabled": false}</c>); listing secrets replaces them all.</summary>
    [HttpPut("{name}")]
    public Task<SourceView> Update(string name, [FromBody] SourceSettings patch, CancellationToken cancellationToken) =>
        mediator.Send(new UpdateSource(name, patch), cancellationToken);

    [HttpDelete("{name}")]
    public async Task<IActionResult> Delete(string name, CancellationToken cancellationToken)
    {
        await mediator.Send(new DeleteSource(name), cancellationToken);
        return NoContent();
    }

    /// <summary>Rotation: adds a secret; old ones stay valid until removed or until the expiry given here.</summary>
    [HttpPost("{name}/secrets")]
    public async Task<IActionResult> AddSecret(string name, [FromBody] NewSecretRequest request, CancellationToken cancellationToken)
    {
        var source = await mediator.Send(new AddSourceSecret(name, request.Secret, request.ExpirePreviousAt, request.ExpirePreviousAfterSeconds), cancellationToken);
        return CreatedAtAction(nameof(Get), new { name }, source);
    }

    [HttpDelete("{name}/secrets/{id:guid}")]
    public Task<SourceView> RemoveSecret(string name, Guid id, CancellationToken cancellationToken) =>
        mediator.Send(new RemoveSourceSecret(name, id), cancellationToken);
}

public sealed record NewSecretRequest(string? Secret, DateTimeOffset? ExpirePreviousAt = null, int? ExpirePreviousAfterSeconds = null);
