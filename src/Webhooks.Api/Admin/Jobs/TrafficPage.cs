using System.Globalization;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;
using MediatR;
using Webhooks.Api.Admin.Charts;
using Webhooks.Application.Admin.Traffic;

namespace Webhooks.Api.Admin.Jobs;

/// <summary>
/// The last day per source as server-rendered SVG (readable without JavaScript): accepted and rejected deliveries per
/// ten minutes, from the per-minute counts the alerts use, so it costs one indexed range scan however large the inbox.
/// </summary>
internal sealed class TrafficPage : RazorPage
{
    public const string Route = "/traffic";

    public static void Register() => DashboardPages.Add(Route, "Traffic", () => new TrafficPage());

    public override void Execute()
    {
        Layout = new LayoutPage("Traffic");
        var http = Context.GetHttpContext();
        var traffic = http.RequestServices.GetRequiredService<IMediator>().Send(new GetTraffic(), http.RequestAborted).GetAwaiter().GetResult();

        WriteLiteral("<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Traffic, last 24 hours</h1>");
        WriteLiteral($"<p>Accepted (green) and rejected (red) deliveries per {traffic.BinMinutes} minutes, by source; ");
        Write(traffic.From.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        WriteLiteral(" to ");
        Write(traffic.To.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
        WriteLiteral(".</p>");
        if (traffic.Sources.Count == 0)
        {
            WriteLiteral("<p>No deliveries in the last 24 hours.</p>");
        }

        foreach (var source in traffic.Sources)
        {
            WriteLiteral("<h3>");
            Write(source.Source);
            WriteLiteral(" <small>");
            Write($"{source.Accepted.ToString(CultureInfo.InvariantCulture)} accepted, {source.Rejected.ToString(CultureInfo.InvariantCulture)} rejected");
            WriteLiteral("</small></h3>");
            WriteLiteral(Chart(source));
        }

        WriteLiteral("</div></div>");
    }

    /// <summary>Accepted and rejected over the bins, scaled to the busiest bin.</summary>
    internal static string Chart(SourceTraffic source) => LineChart.Svg(
        $"{source.Source}: accepted and rejected deliveries", [.. source.Points.Select(p => p.At)], "per bin", 1,
        new ChartSeries("accepted", "#2e7d32", [.. source.Points.Select(p => (double?)p.Accepted)]),
        new ChartSeries("rejected", "#c62828", [.. source.Points.Select(p => (double?)p.Rejected)]));
}
