using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Application.Admin.Stats;

namespace Webhooks.Api.Admin;

/// <summary>Counts by source, status and event type over a window; acceptance and success rates; latency percentiles.</summary>
[ApiController]
[Authorize(Policy = AdminKeyHandler.Policy)]
[Route("api/v1/admin/stats")]
public sealed class StatsController(IMediator mediator) : ControllerBase
{
    [HttpGet]
    public Task<StatsView> Get([FromQuery] DateTimeOffset? from, [FromQuery] DateTimeOffset? to, CancellationToken cancellationToken) =>
        mediator.Send(new GetStats(from, to), cancellationToken);
}
