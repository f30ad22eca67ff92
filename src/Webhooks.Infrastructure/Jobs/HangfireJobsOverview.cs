using Hangfire;
using Hangfire.Storage;
using Webhooks.Application.Common.Abstractions;

namespace Webhooks.Infrastructure.Jobs;

/// <summary>The recurring jobs as Hangfire's storage records them (shared by every instance).</summary>
internal sealed class HangfireJobsOverview(JobStorage storage) : IJobsOverview
{
    public Task<IReadOnlyList<RecurringJobView>> RecurringAsync(CancellationToken cancellationToken)
    {
        using var connection = storage.GetConnection();
        IReadOnlyList<RecurringJobView> jobs = [.. connection.GetRecurringJobs()
            .OrderBy(j => j.Id, StringComparer.Ordinal)
            .Select(j => new RecurringJobView(
                j.Id, j.Cron, j.LastJobState, Utc(j.NextExecution), Utc(j.LastExecution), j.Error))];
        return Task.FromResult(jobs);
    }

    private static DateTimeOffset? Utc(DateTime? at) => at is { } value ? new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)) : null;
}
