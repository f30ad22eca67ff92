using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Application.Admin.Audit;
using Webhooks.Application.Common.Paging;

namespace Webhooks.Api.Admin;

/// <summary>Who did what on the admin surface, newest first.</summary>
[ApiController]
[Authorize(Policy = AdminKeyHandler.Policy)]
[Route("api/v1/admin/audit")]
public sealed class AuditController(IMediator mediator) : ControllerBase
{
    [HttpGet]
    public Task<Page<AuditRecord>> List([FromQuery] string? actor, [FromQuery] string? cursor, [FromQuery] int? limit, CancellationToken cancellationToken) =>
        mediator.Send(new ListAudit(actor, cursor, limit), cancellationToken);
}
