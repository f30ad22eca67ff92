using MediatR;

namespace Webhooks.Application.Admin.Traffic;

/// <summary>The relay and outbound delivery over the last <paramref name="Hours"/> hours, in bins (the overview's charts).</summary>
public sealed record GetGatewayActivity(int Hours = 24, int BinMinutes = 10) : IRequest<GatewayActivity>;

/// <param name="Backlog">The largest outbox backlog any instance saw in the bin.</param>
/// <param name="PublishAverageSeconds">The average publish-and-confirm of a relay batch; null when nothing was published.</param>
/// <param name="PublishSlowestSeconds">The slowest batch in the bin; null when nothing was published.</param>
/// <param name="Succeeded">Outbound delivery attempts that succeeded.</param>
/// <param name="Failed">Outbound delivery attempts that failed.</param>
public sealed record GatewayPoint(DateTimeOffset At, double Backlog, double? PublishAverageSeconds, double? PublishSlowestSeconds, long Published, long Succeeded, long Failed)
{
    /// <summary>Succeeded ÷ attempted, null when nothing was attempted.</summary>
    public double? SuccessRate => Succeeded + Failed == 0 ? null : (double)Succeeded / (Succeeded + Failed);
}

public sealed record GatewayActivity(ChartWindow Window, IReadOnlyList<GatewayPoint> Points)
{
    public long Published => Points.Sum(p => p.Published);

    public long Succeeded => Points.Sum(p => p.Succeeded);

    public long Failed => Points.Sum(p => p.Failed);

    public double? SuccessRate => Succeeded + Failed == 0 ? null : (double)Succeeded / (Succeeded + Failed);
}

/// <summary>One bin of the gateway's per-minute figures, as stored (sums and highest levels).</summary>
public sealed record GatewayBin(DateTimeOffset Bin, double Backlog, double PublishSecondsSum, long PublishBatches, double PublishSecondsMax, long Published, long Succeeded, long Failed);

internal sealed class GetGatewayActivityHandler(ITrafficReader reader, TimeProvider clock) : IRequestHandler<GetGatewayActivity, GatewayActivity>
{
    public async Task<GatewayActivity> Handle(GetGatewayActivity query, CancellationToken cancellationToken)
    {
        var window = ChartWindow.Last(clock.GetUtcNow(), query.Hours, query.BinMinutes);
        var byBin = (await reader.ReadGatewayAsync(window.From, window.BinMinutes, cancellationToken)).ToDictionary(b => b.Bin);
        var points = window.Bins.Select(at => byBin.TryGetValue(at, out var b)
            ? new GatewayPoint(at, b.Backlog, b.PublishBatches > 0 ? b.PublishSecondsSum / b.PublishBatches : null, b.PublishBatches > 0 ? b.PublishSecondsMax : null, b.Published, b.Succeeded, b.Failed)
            : new GatewayPoint(at, 0, null, null, 0, 0, 0)).ToList();
        return new GatewayActivity(window, points);
    }
}
