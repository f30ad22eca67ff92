namespace Webhooks.Application.Backfill;

/// <summary>Hands an operator's "run now" to the durable job scheduler; answers the job's id.</summary>
public interface IBackfillJobScheduler
{
    Task<string> ScheduleAsync(string source, CancellationToken cancellationToken);
}
