using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Api.Admin;
using Webhooks.Application.Common.Paging;
using Webhooks.Application.Delivery.Deliveries;

namespace Webhooks.Api.Delivery;

/// <summary>
/// Outbound deliveries, failed ones worked like dead letters (contract v3): list with filters, detail with every
/// attempt, retry one (a new series under the same message id), archive, and a bulk retry run as a background job.
/// </summary>
/// <remarks>Under /api/v1/deliveries for operators; under /api/v1/applications/{app}/deliveries for one application.</remarks>
[ApiController]
[Authorize(Policy = AdminKeyHandler.ApplicationPolicy)]
[Route("api/v1/deliveries")]
[Route("api/v1/applications/{app}/deliveries")]
public sealed class DeliveriesController(IMediator mediator) : ControllerBase
{
    private string? App => RouteData.Values.TryGetValue("app", out var app) ? app as string : null;

    [HttpGet]
    public Task<Page<DeliverySummary>> List(
        [FromQuery] string? status, [FromQuery(Name = "subscription_id")] Guid? subscriptionId, [FromQuery(Name = "event")] string? eventType,
        [FromQuery] DateTimeOffset? since, [FromQuery] DateTimeOffset? until, [FromQuery] string? cursor, [FromQuery] int? limit, CancellationToken cancellationToken) =>
        mediator.Send(new ListDeliveries(new DeliveryFilter(status, subscriptionId, eventType, since, until), limit, cursor, App), cancellationToken);

    [HttpGet("{id:guid}")]
    [AuditedRead]
    public Task<DeliveryDetail> Get(Guid id, CancellationToken cancellationToken) => mediator.Send(new GetDelivery(id, App), cancellationToken);

    [HttpPost("{id:guid}/retry")]
    public Task<DeliverySummary> Retry(Guid id, CancellationToken cancellationToken) => mediator.Send(new RetryDelivery(id, App), cancellationToken);

    [HttpPost("{id:guid}/archive")]
    public Task<DeliverySummary> Archive(Guid id, CancellationToken cancellationToken) => mediator.Send(new ArchiveDelivery(id, App), cancellationToken);

    /// <summary>Retries every delivery the filters select (dead ones unless status says archived): 202 {"job_id"}, a background job.</summary>
    [HttpPost("retry")]
    public async Task<IActionResult> RetryMany([FromBody] DeliveryRetryRequest? filter, CancellationToken cancellationToken)
    {
        var f = filter ?? new DeliveryRetryRequest();
        var job = await mediator.Send(new StartDeliveryRetry(new DeliveryFilter(f.Status, f.SubscriptionId, f.Event, f.Since, f.Until), App), cancellationToken);
        return AcceptedAtAction(nameof(JobsController.Get), "Jobs", new { id = job.Id }, new DeliveryRetryAccepted(job.Id, job.Total));
    }
}

public sealed record DeliveryRetryRequest(string? Status = null, Guid? SubscriptionId = null, string? Event = null, DateTimeOffset? Since = null, DateTimeOffset? Until = null);

/// <summary>The bulk retry's job (follow it at /api/v1/admin/jobs/{job_id}) and how many deliveries it will retry.</summary>
public sealed record DeliveryRetryAccepted(Guid JobId, long Total);
