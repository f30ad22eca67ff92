using FluentAssertions;
using Webhooks.Api.Admin.Charts;

namespace Webhooks.UnitTests.Dashboard;

public sealed class LineChartTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset[] Bins(int count) => [.. Enumerable.Range(0, count).Select(i => T0.AddMinutes(10 * i))];

    [Fact]
    public void Svg_BreaksTheLineWhereThereIsNoValue()
    {
        var svg = LineChart.Svg("rate", Bins(5), "%", 100, new ChartSeries("success", "#2e7d32", [100, 50, null, 80, 90]));

        svg.Split("<polyline").Should().HaveCount(3, "two runs of values, each its own line");
        svg.Should().Contain("points=\"0,10 180,65\"", "100 % at the top (under a 10 px margin), 50 % half way down");
    }

    [Fact]
    public void Svg_ALoneValue_IsADot()
    {
        var svg = LineChart.Svg("latency", Bins(3), "s", 1, new ChartSeries("average", "#1565c0", [null, null, 0.5]));

        svg.Should().NotContain("<polyline").And.Contain("<circle cx=\"720\" cy=\"65\"");
    }

    [Fact]
    public void Svg_ScalesToThePeak_ButNotBelowTheFloor()
    {
        LineChart.Svg("quiet", Bins(2), "per bin", 10, new ChartSeries("a", "#000", [1, 2])).Should().Contain(">10 per bin<");
        LineChart.Svg("busy", Bins(2), "per bin", 10, new ChartSeries("a", "#000", [1, 250])).Should().Contain(">250 per bin<");
    }

    [Fact]
    public void Svg_EncodesEveryLabel_AndCarriesNoScript()
    {
        var svg = LineChart.Svg("<script>alert(1)</script>", Bins(2), "\"unit\"", 1, new ChartSeries("<b>x</b>", "red\" onload=\"x", [1, 2]));

        svg.Should().NotContain("<script").And.NotContain("<b>").And.NotContain("\" onload=\"");
        svg.Should().Contain("&lt;script&gt;").And.Contain("&lt;b&gt;x&lt;/b&gt;");
    }
}
