using System.Globalization;
using System.Net;
using System.Text;

namespace Webhooks.Api.Admin.Charts;

/// <summary>One line of a chart: a value per bin, null where there is nothing to draw (the line breaks there).</summary>
public sealed record ChartSeries(string Label, string Color, IReadOnlyList<double?> Values);

/// <summary>
/// Server-rendered SVG line charts for the dashboards: readable without JavaScript, no script or style element, and
/// nothing from a request in them but encoded labels and numbers.
/// </summary>
public static class LineChart
{
    private const int Width = 720;
    private const int Height = 120;
    private const int Legend = 16;

    /// <param name="at">The start of each bin (the x axis).</param>
    /// <param name="unit">What the peak label counts ("per bin", "s", "%").</param>
    /// <param name="floor">The smallest peak the y axis scales to (so a quiet day does not look busy).</param>
    public static string Svg(string title, IReadOnlyList<DateTimeOffset> at, string unit, double floor, params ChartSeries[] series)
    {
        var peak = Math.Max(floor, series.SelectMany(s => s.Values).Select(v => v ?? 0).DefaultIfEmpty(0).Max());
        var step = at.Count > 1 ? (double)Width / (at.Count - 1) : Width;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"{Width}\" height=\"{Height + 20 + Legend}\" viewBox=\"0 0 {Width} {Height + 20 + Legend}\" role=\"img\">");
        svg.Append("<title>").Append(WebUtility.HtmlEncode(title)).Append("</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"0\" width=\"{Width}\" height=\"{Height}\" fill=\"#fafafa\" stroke=\"#ddd\"/>");
        foreach (var line in series)
        {
            foreach (var run in Runs(line.Values))
            {
                if (run.Count == 1)
                {
                    // A lone value (one busy bin between quiet ones) has no line to draw: a dot shows it.
                    svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{run[0] * step:0.#}\" cy=\"{Height - (line.Values[run[0]]!.Value * (Height - 10.0) / peak):0.#}\" r=\"2.5\" fill=\"{WebUtility.HtmlEncode(line.Color)}\"/>");
                    continue;
                }

                var points = string.Join(' ', run.Select(i =>
                    string.Create(CultureInfo.InvariantCulture, $"{i * step:0.#},{Height - (line.Values[i]!.Value * (Height - 10.0) / peak):0.#}")));
                svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{WebUtility.HtmlEncode(line.Color)}\" stroke-width=\"1.5\" points=\"{points}\"/>");
            }
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"12\" font-size=\"10\" fill=\"#555\">{Number(peak)} {WebUtility.HtmlEncode(unit)}</text>");
        if (at.Count > 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{Height + 14}\" font-size=\"10\" fill=\"#555\">{at[0]:MM-dd HH:mm}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width}\" y=\"{Height + 14}\" font-size=\"10\" fill=\"#555\" text-anchor=\"end\">{at[^1]:HH:mm} UTC</text>");
        }

        var x = 60;
        foreach (var line in series)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{Height + 20 + 3}\" width=\"10\" height=\"10\" fill=\"{WebUtility.HtmlEncode(line.Color)}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 14}\" y=\"{Height + 20 + 12}\" font-size=\"10\" fill=\"#333\">{WebUtility.HtmlEncode(line.Label)}</text>");
            x += 24 + (7 * line.Label.Length);
        }

        return svg.Append("</svg>").ToString();
    }

    private static string Number(double value) =>
        value.ToString(value >= 100 || value == Math.Floor(value) ? "0" : "0.##", CultureInfo.InvariantCulture);

    /// <summary>The index runs of consecutive values that are present.</summary>
    private static IEnumerable<List<int>> Runs(IReadOnlyList<double?> values)
    {
        var run = new List<int>();
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is null)
            {
                if (run.Count > 0)
                {
                    yield return run;
                    run = [];
                }

                continue;
            }

            run.Add(i);
        }

        if (run.Count > 0)
        {
            yield return run;
        }
    }
}
