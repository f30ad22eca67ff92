using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Application.Backfill;
using Webhooks.Application.Common.Paging;

namespace Webhooks.Api.Admin;

/// <summary>
/// The sources' backfills (recovering what providers never resend): each one's status — last run, what it found,
/// redelivered or imported, its error — and "run now", a background job (202 with the job).
/// </summary>
[ApiController]
[Authorize(Policy = AdminKeyHandler.Policy)]
[Route("api/v1/admin")]
public sealed class BackfillController(IMediator mediator) : ControllerBase
{
    [HttpGet("backfill")]
    public async Task<Page<BackfillStatusView>> List(CancellationToken cancellationToken) =>
        new(await mediator.Send(new ListBackfillStatus(), cancellationToken), null);

    [HttpGet("sources/{name}/backfill")]
    public Task<BackfillStatusView> Get(string name, CancellationToken cancellationToken) => mediator.Send(new GetBackfillStatus(name), cancellationToken);

    /// <summary>Queues one run of the source's backfill: 202 with the job to follow in the job dashboard.</summary>
    [HttpPost("sources/{name}/backfill/run")]
    public async Task<IActionResult> Run(string name, CancellationToken cancellationToken)
    {
        var queued = await mediator.Send(new QueueBackfillRun(name), cancellationToken);
        return AcceptedAtAction(nameof(Get), new { name }, queued);
    }
}
