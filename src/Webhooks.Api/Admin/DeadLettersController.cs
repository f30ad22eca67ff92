using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Application.Admin.DeadLetters;
using Webhooks.Application.Common.Paging;

namespace Webhooks.Api.Admin;

/// <summary>Dead letters: list, inspect, replay one (same event id), archive, and bulk replay by filter (a durable job).</summary>
[ApiController]
[Authorize(Policy = AdminKeyHandler.Policy)]
[Route("api/v1/admin/dead-letters")]
public sealed class DeadLettersController(IMediator mediator) : ControllerBase
{
    [HttpGet]
    public Task<Page<DeadLetterSummary>> List(
        [FromQuery] string? source, [FromQuery(Name = "event_type")] string? eventType, [FromQuery] string? status,
        [FromQuery] DateTimeOffset? from, [FromQuery] DateTimeOffset? to, [FromQuery(Name = "error_contains")] string? errorContains,
        [FromQuery] string? cursor, [FromQuery] int? limit, CancellationToken cancellationToken) =>
        mediator.Send(new ListDeadLetters(new DeadLetterFilter(source, eventType, from, to, errorContains), status, cursor, limit), cancellationToken);

    [HttpGet("{id:guid}")]
    [AuditedRead]
    public Task<DeadLetterDetail> Get(Guid id, CancellationToken cancellationToken) => mediator.Send(new GetDeadLetter(id), cancellationToken);

    /// <summary>Queues the replay (a background job, as on the dashboards): 202 with the job to follow.</summary>
    [HttpPost("{id:guid}/replay")]
    public async Task<IActionResult> Replay(Guid id, CancellationToken cancellationToken)
    {
        var jobId = await mediator.Send(new QueueDeadLetterReplay(id), cancellationToken);
        return Accepted(new DeadLetterReplayQueued(id, jobId));
    }

    [HttpPost("{id:guid}/archive")]
    public Task<DeadLetterSummary> Archive(Guid id, CancellationToken cancellationToken) => mediator.Send(new ArchiveDeadLetter(id), cancellationToken);

    /// <summary>Bulk replay by filter ({} means all dead letters): 202 with the job to follow at /api/v1/admin/jobs/{id}.</summary>
    [HttpPost("replay")]
    public async Task<IActionResult> ReplayMany([FromBody] BulkReplayRequest? filter, CancellationToken cancellationToken)
    {
        var f = filter ?? new BulkReplayRequest();
        var job = await mediator.Send(new StartBulkReplay(new DeadLetterFilter(f.Source, f.EventType, f.From, f.To, f.ErrorContains)), cancellationToken);
        return AcceptedAtAction(nameof(JobsController.Get), "Jobs", new { id = job.Id }, job);
    }
}

/// <summary>The replay of one dead letter, queued: its job in the job dashboard (/hangfire/jobs/details/{job_id}).</summary>
public sealed record DeadLetterReplayQueued(Guid DeadLetterId, string JobId);

public sealed record BulkReplayRequest(string? Source = null, string? EventType = null, DateTimeOffset? From = null, DateTimeOffset? To = null, string? ErrorContains = null);
