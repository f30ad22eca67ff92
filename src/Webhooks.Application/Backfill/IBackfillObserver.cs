namespace Webhooks.Application.Backfill;

/// <summary>Counts backfill runs and what they recovered (webhooks_backfill_* metrics).</summary>
public interface IBackfillObserver
{
    void Ran(string source, string outcome, int found, int recovered, double seconds);
}
