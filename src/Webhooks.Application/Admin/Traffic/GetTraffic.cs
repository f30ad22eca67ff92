using MediatR;

namespace Webhooks.Application.Admin.Traffic;

/// <summary>Accepted and rejected deliveries per source over the last <paramref name="Hours"/> hours, in bins.</summary>
public sealed record GetTraffic(int Hours = 24, int BinMinutes = 10) : IRequest<TrafficView>;

public sealed record TrafficPoint(DateTimeOffset At, long Accepted, long Rejected);

public sealed record SourceTraffic(string Source, IReadOnlyList<TrafficPoint> Points)
{
    public long Accepted => Points.Sum(p => p.Accepted);

    public long Rejected => Points.Sum(p => p.Rejected);
}

public sealed record TrafficView(DateTimeOffset From, DateTimeOffset To, int BinMinutes, IReadOnlyList<SourceTraffic> Sources);

/// <summary>The per-minute ingest counts every instance adds to (the same ones the alerts read).</summary>
public interface ITrafficReader
{
    /// <summary>Per source and bin start: (accepted, rejected).</summary>
    Task<IReadOnlyList<(string Source, DateTimeOffset Bin, long Accepted, long Rejected)>> ReadAsync(DateTimeOffset from, int binMinutes, CancellationToken cancellationToken);

    /// <summary>The gateway's own figures (relay, outbound delivery) per bin; bins without any are left out.</summary>
    Task<IReadOnlyList<GatewayBin>> ReadGatewayAsync(DateTimeOffset from, int binMinutes, CancellationToken cancellationToken);
}

internal sealed class GetTrafficHandler(ITrafficReader reader, TimeProvider clock) : IRequestHandler<GetTraffic, TrafficView>
{
    public async Task<TrafficView> Handle(GetTraffic query, CancellationToken cancellationToken)
    {
        var window = ChartWindow.Last(clock.GetUtcNow(), query.Hours, query.BinMinutes);
        var rows = await reader.ReadAsync(window.From, window.BinMinutes, cancellationToken);
        var bins = window.Bins;
        var sources = rows.GroupBy(r => r.Source, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var byBin = g.ToDictionary(r => r.Bin, r => (r.Accepted, r.Rejected));
            return new SourceTraffic(g.Key, [.. bins.Select(b => byBin.TryGetValue(b, out var v) ? new TrafficPoint(b, v.Accepted, v.Rejected) : new TrafficPoint(b, 0, 0))]);
        }).ToList();
        return new TrafficView(window.From, window.To, window.BinMinutes, sources);
    }
}
