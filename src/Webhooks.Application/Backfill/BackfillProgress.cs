namespace Webhooks.Application.Backfill;

/// <summary>What a run has done so far: kept when it stops early (a rate limit, an error, its time bound).</summary>
internal sealed class BackfillProgress(DateTimeOffset deadline, int maxPages)
{
    public DateTimeOffset Deadline { get; } = deadline;

    public int MaxPages { get; } = maxPages;

    public int Found { get; set; }

    public int Recovered { get; set; }

    public int Skipped { get; set; }

    /// <summary>The whole window was read and everything found was dealt with.</summary>
    public bool Complete { get; set; }

    /// <summary>Something the run passed over (an event it could not store), reported with its outcome.</summary>
    public string? Note { get; set; }
}
