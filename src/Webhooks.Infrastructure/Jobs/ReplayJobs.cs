using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Webhooks.Application.Admin.DeadLetters;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Infrastructure.Relay;

namespace Webhooks.Infrastructure.Jobs;

/// <summary>Schedules a bulk replay as a durable, recoverable Quartz job: a crash mid-run re-fires it on restart.</summary>
internal sealed class QuartzReplayJobScheduler([FromKeyedServices(DependencyInjection.SchedulerName)] IScheduler scheduler) : IReplayJobScheduler
{
    public async Task ScheduleAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var job = JobBuilder.Create<ReplayJobRunner>()
            .WithIdentity($"replay-{jobId:N}", "replays")
            .UsingJobData(ReplayJobRunner.JobIdKey, jobId.ToString())
            .RequestRecovery()
            .WithDescription("Bulk replay of dead letters")
            .Build();
        var trigger = TriggerBuilder.Create().WithIdentity($"replay-{jobId:N}", "replays").StartNow().Build();
        await scheduler.ScheduleJob(job, trigger, cancellationToken: cancellationToken);
    }
}

[DisallowConcurrentExecution]
internal sealed class ReplayJobRunner(IMediator mediator) : IJob
{
    public const string JobIdKey = "replay-job-id";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await mediator.Send(new RunReplayJob(Guid.Parse(context.MergedJobDataMap.GetString(JobIdKey)!)), cancellationToken);
}

/// <summary>Admin actions that put events back in the outbox wake the relay at once.</summary>
internal sealed class OutboxNotifier(OutboxSignal signal) : IOutboxNotifier
{
    public void Notify() => signal.Notify();
}
