namespace Webhooks.Application.Common.Abstractions;

/// <summary>Hands replays to the durable job scheduler; answers the scheduler's job id.</summary>
public interface IReplayJobScheduler
{
    /// <summary>Runs (or resumes) the bulk replay recorded as <paramref name="jobId"/>.</summary>
    Task<string> ScheduleAsync(Guid jobId, CancellationToken cancellationToken);

    /// <summary>Replays one dead letter as a job of its own (its state and failure visible in the job dashboard).</summary>
    Task<string> ScheduleReplayAsync(Guid deadLetterId, CancellationToken cancellationToken);

    /// <summary>Runs (or resumes) the bulk retry of deliveries recorded as <paramref name="jobId"/>.</summary>
    Task<string> ScheduleDeliveryRetryAsync(Guid jobId, CancellationToken cancellationToken);
}
