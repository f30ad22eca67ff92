using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Application.Admin.Alerts;
using Webhooks.Application.Common.Paging;

namespace Webhooks.Api.Admin;

/// <summary>Alerts the evaluator opened: list, acknowledge, resolve. Every transition is also published as an event.</summary>
[ApiController]
[Authorize(Policy = AdminKeyHandler.Policy)]
[Route("api/v1/admin/alerts")]
public sealed class AlertsController(IMediator mediator) : ControllerBase
{
    [HttpGet]
    public Task<Page<AlertView>> List([FromQuery] string? status, [FromQuery] string? kind, [FromQuery] string? source, [FromQuery] string? cursor, [FromQuery] int? limit, CancellationToken cancellationToken) =>
        mediator.Send(new ListAlerts(status, kind, source, cursor, limit), cancellationToken);

    [HttpPost("{id:guid}/acknowledge")]
    public Task<AlertView> Acknowledge(Guid id, CancellationToken cancellationToken) => mediator.Send(new AcknowledgeAlert(id), cancellationToken);

    [HttpPost("{id:guid}/resolve")]
    public Task<AlertView> Resolve(Guid id, CancellationToken cancellationToken) => mediator.Send(new ResolveAlert(id), cancellationToken);
}
