using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Application.Admin.DeadLetters;

namespace Webhooks.Api.Admin;

[ApiController]
[Authorize(Policy = AdminKeyHandler.Policy)]
[Route("api/v1/admin/jobs")]
public sealed class JobsController(IMediator mediator) : ControllerBase
{
    [HttpGet("{id:guid}")]
    public Task<ReplayJobView> Get(Guid id, CancellationToken cancellationToken) => mediator.Send(new GetReplayJob(id), cancellationToken);
}
