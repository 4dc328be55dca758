using AutoSpec.Analyse;
using ScottPlot;

namespace AutoSpec.Report;

/// <summary>The plots of the report, each returned as a PNG data URI.</summary>
internal static class ReportPlots
{
    /// <summary>Median and 95% band across runs of several series (one colour each), with optional vertical markers.</summary>
    public static string Bands(string title, string xLabel, string yLabel, IReadOnlyList<(string Name, Band Band)> series,
        IReadOnlyList<(string Name, double X)>? markers = null)
    {
        var plot = new Plot();
        for (int i = 0; i < series.Count; i++)
        {
            var (name, band) = series[i];
            if (band.X.Length == 0)
            {
                continue;
            }
            var color = PlotImage.Palette[i % PlotImage.Palette.Length];
            if (band.X.Length > 1)
            {
                var fill = plot.Add.FillY(band.X, band.Low, band.High);
                fill.FillColor = color.WithAlpha(0.2);
                fill.LineWidth = 0;
            }
            var line = plot.Add.Scatter(band.X, band.Median, color);
            line.LegendText = name;
            line.MarkerSize = band.X.Length > 40 ? 0 : 4;
            line.LineWidth = 2;
            foreach (var (markerName, x) in markers ?? [])
            {
                if (markerName == name)
                {
                    var v = plot.Add.VerticalLine(x, 1.5f, color);
                    v.LinePattern = LinePattern.Dashed;
                }
            }
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend();
        return PlotImage.DataUri(plot);
    }

    /// <summary>Heat map of a grid (rows k, columns steps) with a colour bar.</summary>
    public static string Heatmap(string title, SpectrumGrid grid, bool diverging)
    {
        var plot = new Plot();
        // ScottPlot draws row 0 at the top: σ₁ is the top row, as in a spectrum read downwards.
        var map = plot.Add.Heatmap(grid.Values);
        map.Colormap = diverging ? new ScottPlot.Colormaps.Balance() : new ScottPlot.Colormaps.Viridis();
        if (diverging)
        {
            double max = 0;
            foreach (var v in grid.Values)
            {
                if (double.IsFinite(v))
                {
                    max = Math.Max(max, Math.Abs(v));
                }
            }
            map.ManualRange = new ScottPlot.Range(-Math.Max(max, 1e-12), Math.Max(max, 1e-12));
        }
        plot.Add.ColorBar(map);
        plot.Title(title);
        plot.XLabel($"recorded step (index; steps {grid.Steps[0]}–{grid.Steps[^1]})");
        plot.YLabel("k");
        // Row r of the grid is drawn at y = K − 1 − r: label those positions with k = r + 1.
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (int k in Enumerable.Range(1, grid.K).Where(k => k == 1 || k % 5 == 0))
        {
            ticks.AddMajor(grid.K - k, k.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        plot.Axes.Left.TickGenerator = ticks;
        return PlotImage.DataUri(plot, 640, 320);
    }

    /// <summary>
    /// Effect (z: excess over same-size random groups in null standard deviations) per window of steps, with its
    /// approximate 95% interval (± 1.96), one line per metric, for one layer and pair.
    /// </summary>
    public static string Effects(string title, IReadOnlyList<SubjectTestRow> rows)
    {
        var plot = new Plot();
        int i = 0;
        foreach (var metric in rows.GroupBy(r => r.Metric))
        {
            var points = metric.Where(r => r.Z is not null).OrderBy(r => r.FirstStep).ToList();
            if (points.Count == 0)
            {
                continue;
            }
            var color = PlotImage.Palette[i++ % PlotImage.Palette.Length];
            var xs = points.Select(r => (r.FirstStep + r.LastStep) / 2.0).ToArray();
            var line = plot.Add.Scatter(xs, points.Select(r => r.Z!.Value).ToArray(), color);
            line.LegendText = FindingSummary.DescribeMetric(metric.Key);
            for (int k = 0; k < points.Count; k++)
            {
                var bar = plot.Add.Line(xs[k], points[k].Z!.Value - 1.96, xs[k], points[k].Z!.Value + 1.96);
                bar.Color = color.WithAlpha(0.6);
            }
        }
        plot.Add.HorizontalLine(0, 1, Colors.Gray);
        plot.Title(title);
        plot.XLabel("step (window centre)");
        plot.YLabel("z vs same-size random groups (B − A)");
        plot.ShowLegend();
        return PlotImage.DataUri(plot);
    }
}
