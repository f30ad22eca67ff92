using System.Globalization;
using System.Text;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;
using MediatR;
using Webhooks.Application.Admin.Traffic;

namespace Webhooks.Api.Admin.Jobs;

/// <summary>
/// The last day per source as server-rendered SVG (readable without JavaScript): accepted and rejected deliveries per
/// ten minutes, from the per-minute counts the alerts use, so it costs one indexed range scan however large the inbox.
/// </summary>
internal sealed class TrafficPage : RazorPage
{
    public const string Route = "/traffic";
    private const int Width = 720;
    private const int Height = 120;

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

    /// <summary>Two polylines over the bins, scaled to the busiest bin; the SVG carries numbers only, never input.</summary>
    internal static string Chart(SourceTraffic source)
    {
        var points = source.Points;
        var peak = Math.Max(1, points.Max(p => Math.Max(p.Accepted, p.Rejected)));
        var step = points.Count > 1 ? (double)Width / (points.Count - 1) : Width;
        string Line(Func<TrafficPoint, long> value) => string.Join(' ', points.Select((p, i) =>
            string.Create(CultureInfo.InvariantCulture, $"{i * step:0.#},{Height - (value(p) * (Height - 10.0) / peak):0.#}")));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height + 20}\" viewBox=\"0 0 {Width} {Height + 20}\" role=\"img\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"0\" width=\"{Width}\" height=\"{Height}\" fill=\"#fafafa\" stroke=\"#ddd\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"#2e7d32\" stroke-width=\"1.5\" points=\"{Line(p => p.Accepted)}\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"#c62828\" stroke-width=\"1.5\" points=\"{Line(p => p.Rejected)}\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"12\" font-size=\"10\" fill=\"#555\">{peak} per bin</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{Height + 14}\" font-size=\"10\" fill=\"#555\">{points[0].At:HH:mm}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width}\" y=\"{Height + 14}\" font-size=\"10\" fill=\"#555\" text-anchor=\"end\">{points[^1].At:HH:mm}</text>");
        svg.Append("</svg>");
        return svg.ToString();
    }
}
