using System.Globalization;
using System.Text.Json.Nodes;
using AutoSpec.Analyse;

namespace AutoSpec.Report;

/// <summary>The report's figures, each a <see cref="PlotlyFigure"/> with its data.</summary>
internal static class ReportFigures
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>An invisible edge of a band: a line of width 0, without hover or legend entry of its own.</summary>
    private static JsonObject BandEdge(string name, double[] x, double[] y) => new()
    {
        ["type"] = "scatter",
        ["mode"] = "lines",
        ["x"] = PlotlyFigure.Numbers(x),
        ["y"] = PlotlyFigure.Numbers(y),
        ["line"] = new JsonObject { ["width"] = 0 },
        ["hoverinfo"] = "skip",
        ["showlegend"] = false,
        ["legendgroup"] = name,
    };

    /// <summary>Median across runs and central 95% band of several series (one colour each), with optional dashed markers.</summary>
    public static PlotlyFigure Bands(string fileName, string title, string xLabel, string yLabel,
        IReadOnlyList<(string Name, string Color, Band Band)> series, IReadOnlyList<(string Name, double X)>? markers = null)
    {
        var figure = new PlotlyFigure(fileName, title);
        figure.Axis("xaxis", xLabel);
        figure.Axis("yaxis", yLabel);
        var shapes = new JsonArray();
        foreach (var (name, color, band) in series.Where(s => s.Band.X.Length > 0))
        {
            if (band.High.Zip(band.Low).Any(p => p.First != p.Second))
            {
                // Lower edge first, then the upper edge filled down to it: plotly.js's way of drawing a band.
                figure.Traces.Add(BandEdge(name, band.X, band.Low));
                var upper = BandEdge(name, band.X, band.High);
                upper["fill"] = "tonexty";
                upper["fillcolor"] = ReportColors.Transparent(color, 0.18);
                figure.Traces.Add(upper);
            }
            figure.Traces.Add(new JsonObject
            {
                ["type"] = "scatter",
                ["mode"] = band.X.Length > 40 ? "lines" : "lines+markers",
                ["name"] = name,
                ["legendgroup"] = name,
                ["x"] = PlotlyFigure.Numbers(band.X),
                ["y"] = PlotlyFigure.Numbers(band.Median),
                ["line"] = new JsonObject { ["color"] = color, ["width"] = 2 },
                ["marker"] = new JsonObject { ["size"] = 5 },
                ["hovertemplate"] = $"{Escape(name)}<br>{Escape(xLabel)} %{{x}}<br>{Escape(yLabel)} %{{y:.4g}}<extra></extra>",
            });
            foreach (var (_, x) in (markers ?? []).Where(m => m.Name == name))
            {
                shapes.Add(new JsonObject
                {
                    ["type"] = "line",
                    ["xref"] = "x",
                    ["yref"] = "paper",
                    ["x0"] = x,
                    ["x1"] = x,
                    ["y0"] = 0,
                    ["y1"] = 1,
                    ["line"] = new JsonObject { ["color"] = color, ["width"] = 1.5, ["dash"] = "dash" },
                });
            }
        }
        figure.Layout["shapes"] = shapes;
        return figure;
    }

    /// <summary>
    /// ln σ_k heat maps of several groups stacked, on one colour scale (the range over all of them) with one labelled
    /// colour bar, σ₁ in the top row of each.
    /// </summary>
    public static PlotlyFigure Spectra(string fileName, string title, IReadOnlyList<(string Group, SpectrumGrid Grid)> grids)
    {
        int n = grids.Count;
        var figure = new PlotlyFigure(fileName, title, 110 + 170 * n);
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var v in grids.SelectMany(g => g.Grid.Values.Cast<double>()).Where(double.IsFinite))
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        if (!double.IsFinite(min))
        {
            (min, max) = (0, 1);
        }
        figure.Layout["coloraxis"] = new JsonObject
        {
            ["colorscale"] = "Viridis",
            ["cmin"] = min,
            ["cmax"] = max,
            ["colorbar"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "ln σ<sub>k</sub>", ["side"] = "right" }, ["thickness"] = 12 },
        };
        var annotations = new JsonArray();
        const double gap = 0.1;
        double height = (1 - gap * (n - 1)) / n;
        for (int i = 0; i < n; i++)
        {
            var (group, grid) = grids[i];
            string suffix = i == 0 ? "" : (i + 1).ToString(C);
            double top = 1 - i * (height + gap);
            var y = figure.Axis("yaxis" + suffix, "k");
            y["domain"] = new JsonArray(Math.Max(0, top - height), top);
            y["autorange"] = "reversed";
            y["anchor"] = "x" + suffix;
            var x = figure.Axis("xaxis" + suffix, i == n - 1 ? "step" : "");
            x["anchor"] = "y" + suffix;
            if (i > 0)
            {
                x["matches"] = "x";
            }
            figure.Traces.Add(Heatmap(grid, "coloraxis", "x" + suffix, "y" + suffix,
                $"{Escape(group)}<br>step %{{x}}<br>k = %{{y}}<br>ln σ<sub>k</sub> = %{{z:.3f}}<extra></extra>"));
            annotations.Add(new JsonObject
            {
                ["text"] = $"<b>{Escape(group)}</b>",
                ["xref"] = "paper",
                ["yref"] = "paper",
                ["x"] = 0,
                ["y"] = top,
                ["xanchor"] = "left",
                ["yanchor"] = "bottom",
                ["showarrow"] = false,
            });
        }
        figure.Layout["annotations"] = annotations;
        return figure;
    }

    /// <summary>A difference of ln σ_k (later group minus reference) on a scale symmetric about 0: red positive, blue negative.</summary>
    public static PlotlyFigure SpectrumDifference(string fileName, string title, string label, SpectrumGrid difference)
    {
        var figure = new PlotlyFigure(fileName, title, 300);
        double max = 1e-12;
        foreach (var v in difference.Values)
        {
            if (double.IsFinite(v))
            {
                max = Math.Max(max, Math.Abs(v));
            }
        }
        figure.Layout["coloraxis"] = new JsonObject
        {
            ["colorscale"] = new JsonArray(ReportColors.Diverging.Select(s => (JsonNode)new JsonArray(s.At, s.Color)).ToArray()),
            ["cmin"] = -max,
            ["cmax"] = max,
            ["colorbar"] = new JsonObject { ["title"] = new JsonObject { ["text"] = label, ["side"] = "right" }, ["thickness"] = 12 },
        };
        figure.Axis("xaxis", "step");
        figure.Axis("yaxis", "k")["autorange"] = "reversed";
        figure.Traces.Add(Heatmap(difference, "coloraxis", "x", "y", $"step %{{x}}<br>k = %{{y}}<br>{Escape(label)} = %{{z:.3f}}<extra></extra>"));
        return figure;
    }

    /// <summary>
    /// The subject-level effect (excess over same-size random groups, with its ≈95% interval) per window of steps, for one
    /// layer, metric and pair: red above zero (higher in the later group), blue below, filled when FDR-significant. The
    /// axis is set by the estimates (<see cref="EffectAxis"/>); intervals beyond it are cut and marked with a grey triangle.
    /// </summary>
    public static PlotlyFigure Effects(string fileName, string title, string yLabel, IReadOnlyList<SubjectTestRow> rows)
    {
        var figure = new PlotlyFigure(fileName, title);
        var points = rows.Where(r => r.Excess is double e && double.IsFinite(e)).OrderBy(r => r.FirstStep).ToList();
        var axis = EffectAxis.Of(points.Select(r => r.Excess!.Value));
        figure.Axis("xaxis", "step (window centre)");
        var y = figure.Axis("yaxis", yLabel);
        y["range"] = new JsonArray(axis.Low, axis.High);
        y["zeroline"] = true;
        y["zerolinecolor"] = "#888";
        var xs = points.Select(r => (r.FirstStep + r.LastStep) / 2.0).ToList();
        var plus = new List<double>();
        var minus = new List<double>();
        var custom = new JsonArray();
        var cutX = new List<double>();
        var cutY = new List<double>();
        var cutSymbol = new List<string>();
        for (int i = 0; i < points.Count; i++)
        {
            var r = points[i];
            double e = r.Excess!.Value;
            double low = r.ExcessLow ?? e, high = r.ExcessHigh ?? e;
            plus.Add(axis.Clamp(high) - Math.Min(e, axis.High));
            minus.Add(Math.Max(e, axis.Low) - axis.Clamp(low));
            if (high > axis.High)
            {
                cutX.Add(xs[i]);
                cutY.Add(axis.High);
                cutSymbol.Add("triangle-up");
            }
            if (low < axis.Low)
            {
                cutX.Add(xs[i]);
                cutY.Add(axis.Low);
                cutSymbol.Add("triangle-down");
            }
            custom.Add(new JsonArray(r.FirstStep, r.LastStep, Num(r.ExcessLow), Num(r.ExcessHigh), Num(r.Z), FindingSummary.FormatP(r.PAdjusted),
                r.Significant ? "significant" : "not significant"));
        }
        figure.Traces.Add(new JsonObject
        {
            ["type"] = "scatter",
            ["mode"] = "markers",
            ["name"] = "excess per window",
            ["x"] = PlotlyFigure.Numbers(xs),
            ["y"] = PlotlyFigure.Numbers(points.Select(r => r.Excess!.Value)),
            ["error_y"] = new JsonObject
            {
                ["type"] = "data",
                ["symmetric"] = false,
                ["array"] = PlotlyFigure.Numbers(plus),
                ["arrayminus"] = PlotlyFigure.Numbers(minus),
                ["color"] = "#999",
                ["thickness"] = 1.2,
                ["width"] = 3,
            },
            ["marker"] = new JsonObject
            {
                ["size"] = 8,
                ["color"] = PlotlyFigure.Texts(points.Select(r => r.Excess >= 0 ? ReportColors.Higher : ReportColors.Lower)),
                ["symbol"] = PlotlyFigure.Texts(points.Select(r => r.Significant ? "circle" : "circle-open")),
                ["line"] = new JsonObject { ["width"] = 1.5 },
            },
            ["customdata"] = custom,
            ["hovertemplate"] = "steps %{customdata[0]}–%{customdata[1]}<br>excess %{y:.4g} [%{customdata[2]}, %{customdata[3]}]<br>" +
                "z = %{customdata[4]}, FDR p = %{customdata[5]} (%{customdata[6]})<extra></extra>",
            ["showlegend"] = false,
        });
        if (cutX.Count > 0)
        {
            figure.Traces.Add(new JsonObject
            {
                ["type"] = "scatter",
                ["mode"] = "markers",
                ["name"] = "interval cut at the axis",
                ["x"] = PlotlyFigure.Numbers(cutX),
                ["y"] = PlotlyFigure.Numbers(cutY),
                ["cliponaxis"] = false,
                ["hoverinfo"] = "skip",
                ["marker"] = new JsonObject { ["size"] = 9, ["color"] = "#666", ["symbol"] = PlotlyFigure.Texts(cutSymbol) },
            });
        }
        return figure;
    }

    private static JsonObject Heatmap(SpectrumGrid grid, string colorAxis, string xAxis, string yAxis, string hover)
    {
        var z = new JsonArray();
        for (int k = 0; k < grid.K; k++)
        {
            z.Add(PlotlyFigure.Numbers(Enumerable.Range(0, grid.Steps.Length).Select(c => grid.Values[k, c])));
        }
        return new JsonObject
        {
            ["type"] = "heatmap",
            ["x"] = PlotlyFigure.Numbers(grid.Steps.Select(s => (double)s)),
            ["y"] = PlotlyFigure.Numbers(Enumerable.Range(1, grid.K).Select(k => (double)k)),
            ["z"] = z,
            ["coloraxis"] = colorAxis,
            ["xaxis"] = xAxis,
            ["yaxis"] = yAxis,
            ["hovertemplate"] = hover,
            ["hoverongaps"] = false,
        };
    }

    private static string Num(double? v) => v is double d && double.IsFinite(d) ? d.ToString("0.###", C) : "–";

    /// <summary>Plotly reads its hover and title strings as a small HTML subset: names from the data are escaped.</summary>
    private static string Escape(string text) => System.Net.WebUtility.HtmlEncode(text);
}
