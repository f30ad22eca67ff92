namespace Webhooks.Application.Common.Abstractions;

/// <summary>One recurring job as the job scheduler records it.</summary>
public sealed record RecurringJobView(string Id, string Cron, string? LastState, DateTimeOffset? NextRun, DateTimeOffset? LastRun, string? Error);

/// <summary>The job scheduler's recurring jobs, for the operators' dashboard.</summary>
public interface IJobsOverview
{
    Task<IReadOnlyList<RecurringJobView>> RecurringAsync(CancellationToken cancellationToken);
}
