namespace Webhooks.Application.Backfill;

/// <summary>How far back a run looks: to the last complete run less the overlap, never further than the lookback.</summary>
public static class BackfillWindow
{
    public static DateTimeOffset Since(DateTimeOffset now, DateTimeOffset? coveredUntil, TimeSpan overlap, TimeSpan lookback)
    {
        var earliest = now - lookback;
        return coveredUntil is { } covered && covered - overlap > earliest ? covered - overlap : earliest;
    }
}
