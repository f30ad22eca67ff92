namespace Webhooks.Application.Admin.Traffic;

/// <summary>The last hours in whole bins, ending with the bin that holds now: what every chart of the dashboard spans.</summary>
public sealed record ChartWindow(DateTimeOffset From, DateTimeOffset To, int BinMinutes)
{
    public static ChartWindow Last(DateTimeOffset now, int hours, int binMinutes)
    {
        var bin = Math.Clamp(binMinutes, 1, 60);
        var to = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute / bin * bin, 0, TimeSpan.Zero).AddMinutes(bin);
        return new ChartWindow(to.AddHours(-Math.Clamp(hours, 1, 48)), to, bin);
    }

    public IReadOnlyList<DateTimeOffset> Bins =>
        [.. Enumerable.Range(0, (int)((To - From).TotalMinutes / BinMinutes)).Select(i => From.AddMinutes(i * BinMinutes))];
}
