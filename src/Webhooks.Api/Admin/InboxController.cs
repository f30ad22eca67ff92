using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Application.Admin.Inbox;
using Webhooks.Application.Common.Paging;

namespace Webhooks.Api.Admin;

/// <summary>The inbox as operators search it: filters, keyset paging, detail with redacted headers, replay.</summary>
[ApiController]
[Authorize(Policy = AdminKeyHandler.Policy)]
[Route("api/v1/admin/inbox")]
public sealed class InboxController(IMediator mediator) : ControllerBase
{
    [HttpGet]
    public Task<Page<InboxSummary>> List(
        [FromQuery] string? source, [FromQuery] string? status, [FromQuery] string? topic,
        [FromQuery] DateTimeOffset? from, [FromQuery] DateTimeOffset? to, [FromQuery] string? cursor, [FromQuery] int? limit,
        CancellationToken cancellationToken) =>
        mediator.Send(new ListInbox(source, status, topic, from, to, cursor, limit), cancellationToken);

    [HttpGet("{id:guid}")]
    [AuditedRead]
    public Task<InboxDetail> Get(Guid id, CancellationToken cancellationToken) => mediator.Send(new GetInboxMessage(id), cancellationToken);

    [HttpPost("{id:guid}/replay")]
    public Task<InboxDetail> Replay(Guid id, CancellationToken cancellationToken) => mediator.Send(new ReplayInboxMessage(id), cancellationToken);
}
