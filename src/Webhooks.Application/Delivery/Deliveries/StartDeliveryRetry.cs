using Webhooks.Application.Tenants;
using System.Text.Json;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Admin.DeadLetters;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Domain.Delivery;
using Webhooks.Domain.Jobs;

namespace Webhooks.Application.Delivery.Deliveries;

/// <summary>
/// Queues a durable bulk retry of the deliveries the filter selects (dead ones unless the filter names archived): a
/// background job, so a million dead deliveries are retried page by page, resumably. Answers the job.
/// </summary>
public sealed record StartDeliveryRetry(DeliveryFilter Filter, string? Application = null) : IRequest<ReplayJobView>, IApplicationScoped;

internal sealed class StartDeliveryRetryValidator : AbstractValidator<StartDeliveryRetry>
{
    public StartDeliveryRetryValidator()
    {
        DeliveryFilterRules.Apply(this, c => c.Filter);
        RuleFor(c => c.Filter.Status).Must(s => s is null || DeliveryStatuses.Parse(s) is DeliveryStatus.Dead or DeliveryStatus.Archived)
            .WithMessage("a bulk retry takes dead (the default) or archived deliveries.");
    }
}

internal sealed class StartDeliveryRetryHandler(IWebhooksDbContext db, IReplayJobScheduler scheduler, ApplicationScope scope, TimeProvider clock) : IRequestHandler<StartDeliveryRetry, ReplayJobView>
{
    public async Task<ReplayJobView> Handle(StartDeliveryRetry command, CancellationToken cancellationToken)
    {
        // The job keeps the scope in its filter: it runs later, for nobody in particular.
        var filter = command.Filter with { Status = command.Filter.Status ?? DeliveryStatus.Dead.Text(), ApplicationId = scope.Id };
        var total = await filter.ApplyTo(db.Deliveries, db.Subscriptions).LongCountAsync(cancellationToken);
        var job = ReplayJob.Queue(JsonSerializer.Serialize(filter, DeliveryFilter.Json), total, clock.GetUtcNow(), ReplayJob.Deliveries);
        db.ReplayJobs.Add(job);
        await db.SaveChangesAsync(cancellationToken);
        await scheduler.ScheduleDeliveryRetryAsync(job.Id, cancellationToken);
        return ReplayJobView.From(job);
    }
}
