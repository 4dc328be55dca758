using System.Globalization;
using System.Net;
using System.Text;
using AutoSpec.Analyse;
using AutoSpec.Files;
using AutoSpec.Introspection;
using AutoSpec.Record;

namespace AutoSpec.Report;

/// <summary>
/// One self-contained HTML page for an analysis: findings in plain words, training curves, the significance map,
/// per-layer trajectories with phase boundaries, σ_k heat maps per group and their difference, effect sizes, and
/// every result table as a CSV download. Images are PNG data URIs and the CSVs are data URIs: the page links to
/// nothing outside itself.
/// </summary>
public static class HtmlReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Writes the report to <paramref name="path"/>.</summary>
    /// <param name="result">The analysis.</param>
    /// <param name="path">The HTML file (written atomically).</param>
    /// <param name="live">For a live page (<c>autospec watch</c>): the banner above the report and the reload.</param>
    public static void Write(AnalysisResult result, string path, LiveStatus? live = null)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }
        Files.AtomicFile.WriteAllText(path, Render(result, live));
    }

    /// <summary>The HTML text.</summary>
    /// <param name="result">The analysis.</param>
    /// <param name="live">For a live page (<c>autospec watch</c>): the banner above the report and the reload.</param>
    public static string Render(AnalysisResult result, LiveStatus? live = null)
    {
        var o = result.Options;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">").Append(live?.Head()).Append("<title>AutoSpec report</title><style>")
            .Append("body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}")
            .Append("table{border-collapse:collapse;margin:1em 0;font-size:90%}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}")
            .Append("th{background:#f3f3f3}img{max-width:100%}.map td{text-align:center;min-width:3.5em}.muted{color:#777}")
            .Append("</style></head><body>\n").Append(live?.Banner());
        html.Append("<h1>AutoSpec report</h1>\n");
        var tested = result.Tests.Where(t => t.P is not null).ToList();
        html.Append(P($"{Plural.Of(result.Runs.Runs.Count, "run")}, groups {string.Join(" vs ", result.Groups)} (differences are the later group minus the first). " +
            "Test: per layer × window of steps × metric × pair of groups, a permutation test of group labels over subjects " +
            "(group sizes kept), the statistic averaged over runs relabelling by relabelling; " +
            $"{(o.Procedure == FalseDiscoveryRate.Procedure.BenjaminiHochberg ? "Benjamini–Hochberg" : "Benjamini–Yekutieli")} FDR at q = {o.Alpha.ToString(C)} " +
            $"over {(o.FamilyBy.Count == 0 ? "one family of all tests" : "families by " + string.Join(", ", o.FamilyBy))} " +
            $"({tested.Count} tests with a p-value, {result.Tests.Count - tested.Count} without)."));
        html.Append(P("What the p-values are about: " + AnalysisResult.Population));
        foreach (var s in result.Runs.Skipped)
        {
            html.Append(P("Skipped: " + s + "."));
        }
        foreach (var n in result.Notes)
        {
            html.Append(P("Note: " + n + "."));
        }

        Findings(html, result);
        Curves(html, result);
        SignificanceMap(html, result.Tests);
        Layers(html, result);
        Permutations(html, result);
        Downloads(html, result);
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void Findings(StringBuilder html, AnalysisResult result)
    {
        html.Append("<h2>Findings</h2>\n");
        if (result.Findings.Count == 0)
        {
            html.Append(P("No group difference is significant after FDR correction."));
        }
        else
        {
            html.Append("<table><tr><th>finding</th><th>layer</th><th>metric</th><th>where</th><th>excess [≈95% CI]</th><th>z</th><th>FDR p</th></tr>\n");
            foreach (var f in result.Findings)
            {
                var s = f.Strongest;
                html.Append("<tr><td>").Append(E(f.Sentence)).Append("</td><td>").Append(E(f.Layer)).Append("</td><td>")
                    .Append(E(FindingSummary.DescribeMetric(f.Metric))).Append("</td><td>").Append(E(f.When))
                    .Append("</td><td>").Append(E(Excess(s))).Append("</td><td>").Append(s.Z?.ToString("0.#", C) ?? "n/a")
                    .Append("</td><td>").Append(FindingSummary.FormatP(s.PAdjusted)).Append("</td></tr>\n");
            }
            html.Append("</table>\n");
        }
        html.Append(P("Phase boundaries (dashed lines in the trajectories) are descriptive: they are not tested between groups, " +
            "because ln σ₁ and effective rank move with a group's number of samples."));
    }

    private static void Curves(StringBuilder html, AnalysisResult result)
    {
        html.Append("<h2>Training curves</h2>\n").Append(P("Median across runs, with the band between the 2.5th and 97.5th percentiles."));
        foreach (var (column, label) in new[] { (RunColumns.Loss, "loss"), (RunColumns.Accuracy, "accuracy") })
        {
            var series = new List<(string, Band)>();
            foreach (var split in new[] { CurvePoint.Train, CurvePoint.Validation })
            {
                var runs = result.Runs.Runs.Select(r => CurveSeries(r, split, column)).Where(s => s.X.Length > 0).ToList();
                if (runs.Count > 0)
                {
                    series.Add((split, Band.Of(runs)));
                }
            }
            if (series.Count > 0)
            {
                html.Append(Img(ReportPlots.Bands($"{label} per epoch", "epoch", label, series), label));
            }
        }
    }

    private static (long[] X, double[] Y) CurveSeries(RunData run, string split, string column)
    {
        if (!run.Curves.TryGetValue(RunColumns.Split, out var s) || !run.Curves.TryGetValue(column, out var v))
        {
            return ([], []);
        }
        var splits = (string?[])s;
        var values = (double?[])v;
        var epochs = (int?[])run.Curves[RunColumns.Epoch];
        var rows = Enumerable.Range(0, splits.Length).Where(i => splits[i] == split && values[i] is double d && double.IsFinite(d)).ToList();
        return (rows.Select(i => (long)epochs[i]!.Value).ToArray(), rows.Select(i => values[i]!.Value).ToArray());
    }

    private static void SignificanceMap(StringBuilder html, IReadOnlyList<SubjectTestRow> tests)
    {
        html.Append("<h2>Significance map</h2>\n")
            .Append(P("Each cell: z, the later group's excess over what random groups of the same sizes show, in null standard " +
                "deviations; starred when FDR-significant; colour by FDR-adjusted p (red: higher in the later group, blue: lower; " +
                "grey: no p-value). Columns are the windows of steps tested."));
        foreach (var block in tests.Where(t => t.GroupA.Length > 0).GroupBy(t => (t.Metric, t.GroupA, t.GroupB)))
        {
            // Windows in training order, the whole-run tests last.
            var windows = block.Select(t => (t.Window, t.FirstStep, t.LastStep)).Distinct()
                .OrderBy(w => w.Window == SubjectTestRow.WholeRun).ThenBy(w => w.FirstStep).ToList();
            html.Append("<h3>").Append(E($"{FindingSummary.DescribeMetric(block.Key.Metric)} ({block.Key.Metric}), {block.Key.GroupB} − {block.Key.GroupA}"))
                .Append("</h3>\n<table class=\"map\"><tr><th>layer \\ steps</th>");
            foreach (var (window, first, last) in windows)
            {
                html.Append("<th>").Append(window == SubjectTestRow.WholeRun ? "whole run" : $"{first}–{last}").Append("</th>");
            }
            html.Append("</tr>\n");
            foreach (var layer in block.GroupBy(t => t.Layer))
            {
                html.Append("<tr><th>").Append(E(layer.Key)).Append("</th>");
                foreach (var (window, first, last) in windows)
                {
                    var cell = layer.Where(x => x.Window == window && x.FirstStep == first && x.LastStep == last).ToList();
                    var t = cell.FirstOrDefault(x => x.PAdjusted is not null) ?? cell.FirstOrDefault();
                    if (t?.PAdjusted is not double p)
                    {
                        html.Append("<td style=\"background:#ddd\" title=\"").Append(E(t?.Note ?? "no value")).Append("\">–</td>");
                        continue;
                    }
                    double strength = Math.Clamp(-Math.Log10(Math.Max(p, 1e-12)) / 4, 0, 1);
                    int fade = (int)(255 - 200 * strength);
                    string color = (t.Excess ?? 0) >= 0 ? $"rgb(255,{fade},{fade})" : $"rgb({fade},{fade},255)";
                    string text = t.Z is double z ? z.ToString("0.0", C) : "·";
                    html.Append("<td style=\"background:").Append(color).Append("\" title=\"FDR p = ").Append(FindingSummary.FormatP(p))
                        .Append("\">").Append(text).Append(t.Significant ? "*" : "").Append("</td>");
                }
                html.Append("</tr>\n");
            }
            html.Append("</table>\n");
        }
    }

    private static void Layers(StringBuilder html, AnalysisResult result)
    {
        var o = result.Options;
        var spectra = SpectrumGrid.Load(result.Runs.Runs.Select(r => r.Directory));
        var layers = result.EpochValues.Select(t => t.Layer).Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var layer in layers)
        {
            html.Append("<h2>Layer ").Append(E(layer)).Append("</h2>\n").Append(P("Trajectories per group: median across runs and 95% band; " +
                "dashed lines mark a group's median first phase boundary (shown when at least half the runs have one). " +
                "Heat maps: ln σ_k per recorded step, mean across runs, σ₁ in the top row; then the difference between the groups."));
            foreach (var quantity in o.Quantities.Where(q => q != "weight"))
            {
                foreach (var series in PhaseAnalysis.SeriesNames)
                {
                    var bands = new List<(string, Band)>();
                    var markers = new List<(string, double)>();
                    foreach (var group in result.Groups)
                    {
                        var runs = result.Runs.Runs.Select(r => PhaseAnalysis.Trajectory(r, layer, quantity, group, series)).Where(s => s.Steps.Length > 0).ToList();
                        if (runs.Count == 0)
                        {
                            continue;
                        }
                        bands.Add((group, Band.Of(runs)));
                        var first = result.Phases.Where(p => p.Layer == layer && p.Quantity == quantity && p.Group == group && p.Series == series && p.Boundaries.Count > 0)
                            .Select(p => (double)p.Boundaries[0]).ToList();
                        if (first.Count * 2 >= result.Runs.Runs.Count)
                        {
                            markers.Add((group, MathNet.Numerics.Statistics.Statistics.Median(first)));
                        }
                    }
                    if (bands.Count > 0)
                    {
                        string label = series == "log_sigma1" ? "ln σ₁ (per sample)" : "effective rank";
                        html.Append(Img(ReportPlots.Bands($"{layer} {quantity}: {label}",
                            "step", label, bands, markers), $"{layer} {series}"));
                    }
                }
                var grids = result.Groups.Select(g => (Group: g, Grid: SpectrumGrid.Of(spectra, layer, quantity, g, 20))).Where(x => x.Grid is not null).ToList();
                foreach (var (group, grid) in grids)
                {
                    html.Append(Img(ReportPlots.Heatmap($"{layer} {quantity}, group {group}: ln σ_k", grid!, diverging: false), $"{layer} heat map {group}"));
                }
                // Every pair of groups the analysis compared (all pairs when there are more than two groups).
                var byGroup = grids.ToDictionary(x => x.Group, x => x.Grid!);
                for (int i = 0; i < result.Groups.Count; i++)
                {
                    for (int j = i + 1; j < result.Groups.Count; j++)
                    {
                        var (a, b) = (result.Groups[i], result.Groups[j]);
                        if (byGroup.TryGetValue(a, out var ga) && byGroup.TryGetValue(b, out var gb))
                        {
                            html.Append(Img(ReportPlots.Heatmap($"{layer} {quantity}: ln σ_k of {b} minus {a}", gb.Minus(ga), diverging: true), $"{layer} heat map difference {b} − {a}"));
                        }
                        var rows = result.Tests.Where(t => t.Layer == layer && t.GroupA == a && t.GroupB == b && t.Window == SubjectTestRow.OneWindow).ToList();
                        if (quantity == "grad" && rows.Any(r => r.Z is not null))
                        {
                            html.Append(Img(ReportPlots.Effects($"{layer}: subject-level effect per window ({b} − {a})", rows), $"{layer} effects {b} − {a}"));
                        }
                    }
                }
            }
        }
    }

    private static void Permutations(StringBuilder html, AnalysisResult result)
    {
        if (result.Runs.Runs.Count < 2 || result.Permutations.Count == 0)
        {
            return;
        }
        html.Append("<h2>Per-run tests</h2>\n").Append(P("Each run's own subject-level test before the runs are averaged " +
            "(uncorrected p; the verdict is the pooled test above). Consistent signs across runs say the difference does not " +
            "hinge on one training seed or fold."));
        html.Append("<table><tr><th>run</th><th>layer</th><th>steps</th><th>groups</th><th>metric</th><th>excess</th><th>z</th><th>p</th><th>relabellings</th></tr>\n");
        foreach (var r in result.Permutations)
        {
            html.Append("<tr><td>").Append(E(r.Run)).Append("</td><td>").Append(E(r.Layer)).Append("</td><td>")
                .Append(r.FirstStep == r.LastStep ? r.FirstStep.ToString(C) : $"{r.FirstStep}–{r.LastStep}").Append("</td><td>")
                .Append(E(r.GroupA.Length > 0 ? $"{r.GroupB} vs {r.GroupA}" : "")).Append("</td><td>")
                .Append(E(r.Metric)).Append("</td><td>").Append(r.Result.Excess?.ToString("0.###", C) ?? "n/a").Append("</td><td>")
                .Append(r.Result.Z?.ToString("0.#", C) ?? "n/a").Append("</td><td>")
                .Append(r.Result.PValue is null && r.Note is not null ? E(r.Note) : FindingSummary.FormatP(r.Result.PValue)).Append("</td><td>")
                .Append(r.Result.Permutations).Append(r.Result.Exact ? " (all)" : "").Append("</td></tr>\n");
        }
        html.Append("</table>\n");
    }

    private static void Downloads(StringBuilder html, AnalysisResult result)
    {
        html.Append("<h2>Tables</h2>\n<p>Every result table as CSV (embedded in this page):</p><ul>\n");
        foreach (var table in AnalysisTables.Build(result))
        {
            var uri = "data:text/csv;charset=utf-8;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(table.ToCsv()));
            html.Append("<li><a download=\"").Append(table.Name).Append(".csv\" href=\"").Append(uri).Append("\">")
                .Append(table.Name).Append(".csv</a> <span class=\"muted\">(").Append(table.Rows).Append(" rows)</span></li>\n");
        }
        html.Append("</ul>\n");
    }

    private static string Excess(SubjectTestRow s) => s.Excess is double e
        ? e.ToString("0.###", C) + (s.ExcessLow is double lo && s.ExcessHigh is double hi ? $" [{lo.ToString("0.###", C)}, {hi.ToString("0.###", C)}]" : "")
        : "n/a";

    private static string Img(string uri, string alt) => $"<p><img alt=\"{E(alt)}\" src=\"{uri}\"></p>\n";

    private static string P(string text) => "<p>" + E(text) + "</p>\n";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
