using System.Globalization;
using System.Text;
using AutoSpec.Analyse;
using AutoSpec.Introspection;
using AutoSpec.Record;

namespace AutoSpec.Report;

/// <summary>
/// One self-contained HTML page for an analysis: a header saying what was run, a table of contents, the findings, the
/// training curves, the significance map, the permutation verdicts summarised, per layer and quantity (grad, act,
/// delta, σ(W)) the trajectories, σ_k heat maps and effect sizes, and every result table as a CSV download. Plots are
/// interactive plotly.js figures (zoom, hover, SVG/PNG download) with plotly.js inlined once; the CSVs are data URIs:
/// the page loads nothing from anywhere else and works offline.
/// </summary>
public static class HtmlReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Most step columns a heat map shows (a 1 920 px screen has fewer pixels across a plot).</summary>
    private const int HeatMapSteps = 400;

    private static readonly Dictionary<string, string> QuantityNames = new(StringComparer.Ordinal)
    {
        ["grad"] = "gradient σ(G)",
        ["act"] = "layer input σ(A)",
        ["delta"] = "backpropagated error σ(Δ)",
        ["weight"] = "weights σ(W)",
    };

    /// <summary>Writes the report to <paramref name="path"/> (temporary name, then renamed: never half-written).</summary>
    /// <param name="result">The analysis.</param>
    /// <param name="path">The HTML file.</param>
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
        var page = new ReportPage();
        Reading(page, result);
        Findings(page, result);
        Curves(page, result);
        SignificanceMap(page, result);
        Verdicts(page, result);
        Layers(page, result);
        Downloads(page, result);

        var html = new StringBuilder();
        WriteHead(html, live);
        html.Append("<body>").Append(live?.Banner()).Append("<div class=\"page\">\n");
        WriteHeader(html, result);
        WriteContents(html, page);
        html.Append("<main>\n").Append(page.Body).Append("</main>\n</div>\n");
        html.Append("<script>").Append(PlotlyLibrary.Script).Append("</script>\n");
        html.Append("<script>").Append(ReportScript.Text).Append("</script>\n");
        html.Append("</body></html>\n");
        return html.ToString();
    }

    /// <summary>The document head: title (first: the CLI recognises an earlier report by it), viewport and style.</summary>
    private static void WriteHead(StringBuilder html, LiveStatus? live) =>
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">").Append(live?.Head()).Append("<title>AutoSpec report</title>\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<style>").Append(ReportStyle.Css).Append("</style>\n</head>\n");

    /// <summary>The page's header: what was run (<see cref="ReportHeader"/>).</summary>
    private static void WriteHeader(StringBuilder html, AnalysisResult result)
    {
        html.Append("<header class=\"top\"><h1>AutoSpec report</h1>\n<dl class=\"facts\">\n");
        foreach (var (label, value) in ReportHeader.Of(result))
        {
            html.Append("<dt>").Append(ReportPage.E(label)).Append("</dt><dd>").Append(ReportPage.E(value)).Append("</dd>\n");
        }
        html.Append("</dl></header>\n");
    }

    private static void WriteContents(StringBuilder html, ReportPage page)
    {
        html.Append("<nav class=\"toc\" aria-label=\"Contents\"><h2>Contents</h2><ol>\n");
        foreach (var (id, title, level) in page.Contents)
        {
            html.Append("<li").Append(level > 2 ? " class=\"sub\"" : "").Append("><a href=\"#").Append(id).Append("\">")
                .Append(ReportPage.E(title)).Append("</a></li>\n");
        }
        html.Append("</ol></nav>\n");
    }

    private static void Reading(ReportPage page, AnalysisResult result)
    {
        var o = result.Options;
        var tested = result.Tests.Count(t => t.P is not null);
        page.Heading("reading", "How to read this report");
        page.Paragraph($"Groups {string.Join(" vs ", result.Groups)}: differences are the later group minus the first (the reference). " +
            "Test: per layer × window of steps × metric × pair of groups, a permutation test of group labels over subjects " +
            "(group sizes kept), the statistic averaged over runs relabelling by relabelling; " +
            $"{(o.Procedure == FalseDiscoveryRate.Procedure.BenjaminiHochberg ? "Benjamini–Hochberg" : "Benjamini–Yekutieli")} FDR at q = {o.Alpha.ToString(C)} " +
            $"over {(o.FamilyBy.Count == 0 ? "one family of all tests" : "families by " + string.Join(", ", o.FamilyBy))} " +
            $"({tested} tests with a p-value, {result.Tests.Count - tested} without).");
        page.Paragraph("What the p-values are about: " + AnalysisResult.Population);
        page.Html("<p class=\"key\"><span class=\"swatch\" style=\"background:" + ReportColors.Higher + "\"></span>red: higher in the later group" +
            " <span class=\"swatch\" style=\"background:" + ReportColors.Lower + "\"></span>blue: lower in the later group" +
            " — in the tables, the maps and the effect plots alike. In line plots each group keeps one colour: " +
            string.Join(", ", result.Groups.Select((g, i) => $"<span class=\"swatch\" style=\"background:{ReportColors.Group(i)}\"></span>{ReportPage.E(g)}")) +
            ". Every plot zooms (drag; double-click resets), shows values on hover, and downloads as SVG (camera) or PNG (retro camera) from its toolbar.</p>\n");
        foreach (var s in result.Runs.Skipped)
        {
            page.Paragraph("Skipped: " + s + ".");
        }
        foreach (var n in result.Notes)
        {
            page.Paragraph("Note: " + n + ".");
        }
    }

    private static void Findings(ReportPage page, AnalysisResult result)
    {
        page.Heading("findings", "Findings");
        if (result.Tests.Count == 0)
        {
            page.Paragraph("No subject-level test was made (see the note above), so there is no finding.");
        }
        else if (result.Findings.Count == 0)
        {
            page.Paragraph("No group difference is significant after FDR correction.");
        }
        else
        {
            page.Table(["finding", "layer", "metric", "where", "excess [≈95% CI]", "z", "FDR p"],
                result.Findings.Select(f => (IReadOnlyList<string>)
                    [f.Sentence, f.Layer, FindingSummary.DescribeMetric(f.Metric), f.When, Excess(f.Strongest), Format(f.Strongest.Z, "0.#"), FindingSummary.FormatP(f.Strongest.PAdjusted)]),
                "Numbers are those of the strongest window (smallest FDR-adjusted p). –: not defined for that test (its note in group_tests.csv says why).");
            FindingFigures(page, result);
        }
        page.Paragraph("Phase boundaries (dashed lines in the trajectories) are descriptive: they are not tested between groups, " +
            "because ln σ₁ and effective rank move with a group's number of samples.");
    }

    private static void Curves(ReportPage page, AnalysisResult result)
    {
        page.Heading("curves", "Training curves");
        page.Paragraph("Median across runs, with the band between the 2.5th and 97.5th percentiles (a single run: its line).");
        page.Html("<div class=\"grid\">\n");
        foreach (var (column, label) in new[] { (RunColumns.Loss, "loss"), (RunColumns.Accuracy, "accuracy"), (RunColumns.Auc, "ROC AUC") })
        {
            var series = new List<(string, string, Band)>();
            foreach (var (split, color) in new[] { (CurvePoint.Train, ReportColors.Train), (CurvePoint.Validation, ReportColors.Validation) })
            {
                var runs = result.Runs.Runs.Select(r => CurveSeries(r, split, column)).Where(s => s.X.Length > 0).ToList();
                if (runs.Count > 0)
                {
                    series.Add((split, color, Band.Of(runs)));
                }
            }
            if (series.Count > 0)
            {
                page.Figure(ReportFigures.Bands($"curves-{column}", $"{label} per epoch", "epoch", label, series),
                    $"{char.ToUpperInvariant(label[0])}{label[1..]} on the whole training and validation splits after each epoch.");
            }
        }
        page.Html("</div>\n");
        ValidationByGroup(page, result);
    }

    private static void ValidationByGroup(ReportPage page, AnalysisResult result)
    {
        var scores = result.Runs.Runs.SelectMany(r => RunScores.ValidationByGroup(r.Directory)).ToList();
        if (scores.Count == 0)
        {
            return;
        }
        page.Heading("validation-by-group", "Validation per group", 3);
        page.Html("<div class=\"grid\">\n");
        foreach (var (column, label) in new[] { (RunColumns.Accuracy, "accuracy"), (RunColumns.Auc, "ROC AUC") })
        {
            var series = new List<(string, string, Band)>();
            for (int g = 0; g < result.Groups.Count; g++)
            {
                var curves = result.Runs.Runs.Select(r => CurveSeries(r, CurvePoint.ValidationGroup, column, result.Groups[g])).Where(s => s.X.Length > 0).ToList();
                if (curves.Count > 0)
                {
                    series.Add((result.Groups[g], ReportColors.Group(g), Band.Of(curves)));
                }
            }
            if (series.Count > 0)
            {
                page.Figure(ReportFigures.Bands($"curves-{column}-by-group", $"validation {label} per group", "epoch", label, series),
                    $"Validation {label} of each group's samples after each epoch: a gradient difference between groups may mirror a group the model fits worse.");
            }
        }
        page.Html("</div>\n");
        int runs = result.Runs.Runs.Count;
        page.Table(["group", "validation samples", "accuracy", "ROC AUC"],
            scores.GroupBy(s => s.Group, StringComparer.Ordinal).Select(g => (IReadOnlyList<string>)
                [g.Key, Spread(g.Select(s => (double)s.Samples), "0"), Spread(g.Select(s => s.Accuracy), "0.000"),
                 Spread(g.Where(s => s.Auc is not null).Select(s => s.Auc!.Value), "0.000")]),
            $"After the last epoch, from the runs' manifests ({Plural.Of(runs, "run")}" +
            (runs > 1 ? ": median [lowest, highest] across runs" : "") + "). –: AUC not defined (the group's validation samples have one label).");
    }

    /// <summary>One run's curve of a split (and group: runs recorded before the group column have only whole splits).</summary>
    private static (long[] X, double[] Y) CurveSeries(RunData run, string split, string column, string group = CurvePoint.AllGroups)
    {
        if (!run.Curves.TryGetValue(RunColumns.Split, out var s) || !run.Curves.TryGetValue(column, out var v))
        {
            return ([], []);
        }
        var splits = (string?[])s;
        var groups = run.Curves.TryGetValue(RunColumns.Group, out var gc) ? (string?[])gc : null;
        var epochs = (int?[])run.Curves[RunColumns.Epoch];
        var rows = Enumerable.Range(0, splits.Length).Where(i => splits[i] == split && (groups?[i] ?? CurvePoint.AllGroups) == group
            && Value(v, i) is double d && double.IsFinite(d)).ToList();
        return (rows.Select(i => (long)epochs[i]!.Value).ToArray(), rows.Select(i => Value(v, i)!.Value).ToArray());
    }

    // Loss and accuracy are read as double?[]; a column written without nulls may come back as double[].
    private static double? Value(Array column, int i) => column switch
    {
        double?[] n => n[i],
        double[] d => d[i],
        _ => null,
    };

    private static void SignificanceMap(ReportPage page, AnalysisResult result)
    {
        page.Heading("map", "Significance map");
        if (!result.Tests.Any(t => t.GroupA.Length > 0))
        {
            page.Paragraph("No subject-level test to map.");
            return;
        }
        page.Paragraph("Each cell: z, the later group's excess over what random groups of the same sizes show, in null standard " +
            "deviations; * when FDR-significant; the colour's strength grows with −log₁₀ of the FDR-adjusted p (red: higher in the " +
            "later group, blue: lower). Columns are the windows of steps tested, the whole-run test last.");
        foreach (var block in result.Tests.Where(t => t.GroupA.Length > 0).GroupBy(t => (t.Metric, t.GroupA, t.GroupB)))
        {
            var windows = block.Select(t => (t.Window, t.FirstStep, t.LastStep)).Distinct()
                .OrderBy(w => w.Window == SubjectTestRow.WholeRun).ThenBy(w => w.FirstStep).ToList();
            page.Html($"<h3>{ReportPage.E($"{FindingSummary.DescribeMetric(block.Key.Metric)} ({block.Key.Metric}), {block.Key.GroupB} − {block.Key.GroupA}")}</h3>\n");
            var html = new StringBuilder("<div class=\"scroll\"><table class=\"map\"><thead><tr><th>layer \\ steps</th>");
            foreach (var (window, first, last) in windows)
            {
                html.Append("<th>").Append(window == SubjectTestRow.WholeRun ? "whole run" : $"{first}–{last}").Append("</th>");
            }
            html.Append("</tr></thead><tbody>\n");
            foreach (var layer in block.GroupBy(t => t.Layer))
            {
                html.Append("<tr><th>").Append(ReportPage.E(layer.Key)).Append("</th>");
                foreach (var (window, first, last) in windows)
                {
                    var cell = layer.Where(x => x.Window == window && x.FirstStep == first && x.LastStep == last).ToList();
                    var t = cell.FirstOrDefault(x => x.PAdjusted is not null) ?? cell.FirstOrDefault();
                    if (t?.PAdjusted is not double p)
                    {
                        html.Append("<td class=\"none\" title=\"").Append(ReportPage.E(t?.Note ?? "not tested")).Append("\">–</td>");
                        continue;
                    }
                    double strength = Math.Clamp(-Math.Log10(Math.Max(p, 1e-12)) / 4, 0, 1);
                    string color = ReportColors.Transparent((t.Excess ?? 0) >= 0 ? ReportColors.Higher : ReportColors.Lower, 0.08 + 0.62 * strength);
                    html.Append("<td style=\"background:").Append(color).Append("\" title=\"FDR p = ").Append(FindingSummary.FormatP(p))
                        .Append("\">").Append(t.Z is double z ? z.ToString("0.0", C) : "·").Append(t.Significant ? "*" : "").Append("</td>");
                }
                html.Append("</tr>\n");
            }
            page.Html(html.Append("</tbody></table></div>\n").ToString());
        }
        page.Paragraph("–: no p-value for that layer and window (hover the cell for the reason, e.g. a group absent from the window's batches, " +
            "or no test for it); ·: a p-value but no z (the null has no spread).", "legend");
    }

    private static void Verdicts(ReportPage page, AnalysisResult result)
    {
        page.Heading("verdicts", "Permutation verdicts");
        var summary = PermutationSummary.Of(result.Tests);
        if (summary.Count == 0)
        {
            page.Paragraph("No subject-level test.");
            return;
        }
        page.Paragraph("Per layer, metric and pair: how many windows were tested, how many have a p-value, and how many are significant " +
            "after FDR correction with the later group higher or lower; then the strongest window and the whole-run test. " +
            "Every row: group_tests.csv under Tables.");
        page.Table(["layer", "metric", "pair", "windows", "with p", "higher (significant)", "lower (significant)", "strongest window", "whole run"],
            summary.Select(s => (IReadOnlyList<string>)
                [s.Layer, s.Metric, $"{s.GroupB} − {s.GroupA}", s.Windows.ToString(C), s.WithP.ToString(C), s.Higher.ToString(C), s.Lower.ToString(C),
                 s.Strongest is { } w ? $"steps {w.FirstStep}–{w.LastStep}: z {Format(w.Z, "0.0")}, FDR p {FindingSummary.FormatP(w.PAdjusted)}" : "–",
                 s.WholeRun is { } a ? $"excess {Format(a.Excess, "0.###")}, FDR p {FindingSummary.FormatP(a.PAdjusted)}{(a.Significant ? " *" : "")}" : "–"]),
            "Windows count the windows of steps (the whole-run test apart). –: no window with a p-value, or no whole-run test; * significant.");
        var significant = result.Tests.Where(t => t.Significant).OrderBy(t => t.PAdjusted).ThenByDescending(t => Math.Abs(t.Z ?? 0)).ToList();
        page.Heading("significant", $"Significant tests ({significant.Count})", 3);
        const int shown = 40;
        if (significant.Count > 0)
        {
            page.Table(["layer", "metric", "pair", "steps", "excess [≈95% CI]", "z", "FDR p"],
                significant.Take(shown).Select(t => (IReadOnlyList<string>)
                    [t.Layer, t.Metric, $"{t.GroupB} − {t.GroupA}", t.Window == SubjectTestRow.WholeRun ? "whole run" : $"{t.FirstStep}–{t.LastStep}",
                     Excess(t), Format(t.Z, "0.0"), FindingSummary.FormatP(t.PAdjusted)]),
                (significant.Count > shown ? $"The {shown} strongest of {significant.Count}; all in group_tests.csv. " : "") +
                "–: not defined for that test (no spread under the null).");
        }
        if (result.Runs.Runs.Count > 1 && result.Permutations.Count > 0)
        {
            page.Heading("per-run", "Per-run tests", 3);
            page.Paragraph("Each run's own subject-level test before the runs are pooled (uncorrected p): the same sign in most runs says a " +
                "difference does not hinge on one seed or fold. Every row: permutation_tests.csv under Tables.");
            page.Table(["layer", "metric", "pair", "runs", "run tests", "p < 0.05", "same sign as pooled"],
                PermutationSummary.PerRun(result.Permutations, result.Tests).Select(s => (IReadOnlyList<string>)
                    [s.Layer, s.Metric, s.Pair, s.Runs.ToString(C), s.Tests.ToString(C), s.Below05.ToString(C), s.SameSign is null ? "–" : s.SameSign.Value.ToString(C)]),
                "Same sign: run tests whose excess has the sign of the pooled test of their window. –: no pooled test to compare with.");
        }
    }

    private static void Layers(ReportPage page, AnalysisResult result)
    {
        var layers = result.Runs.Runs.SelectMany(r => r.Distinct(RunColumns.Layer))
            .Where(l => result.Options.Layers is null || result.Options.Layers.Contains(l)).Distinct().Order(StringComparer.Ordinal).ToList();
        var quantities = result.Runs.Runs.SelectMany(r => r.Distinct(RunColumns.Quantity)).Distinct()
            .OrderBy(q => Array.IndexOf(["grad", "act", "delta", "weight"], q) is var i && i < 0 ? int.MaxValue : i).ToList();
        if (layers.Count == 0)
        {
            return;
        }
        page.Heading("layers", "Layers");
        page.Paragraph("One layer and quantity at a time (choose below): trajectories per group (median across runs and 95% band; dashed " +
            "lines mark a group's median first phase boundary when at least half the runs have one), ln σ_k heat maps of the groups on one " +
            "colour scale (σ₁ in the top row, mean across runs), their difference, and for the gradient the subject-level effect per window.");
        page.Html("<div class=\"chooser\"><label>layer <select id=\"layer-choice\">" +
            string.Concat(layers.Select(l => $"<option>{ReportPage.E(l)}</option>")) + "</select></label><label>quantity <select id=\"quantity-choice\">" +
            string.Concat(quantities.Select(q => $"<option value=\"{ReportPage.E(q)}\">{ReportPage.E(QuantityNames.GetValueOrDefault(q, q))}</option>")) +
            "</select></label></div>\n<p id=\"panel-none\" hidden>Nothing was recorded for this layer and quantity.</p>\n");
        var spectra = SpectrumGrid.Load(result.Runs.Runs.Select(r => r.Directory));
        foreach (var layer in layers)
        {
            foreach (var quantity in quantities)
            {
                var panel = page.Child();
                LayerPanel(panel, result, spectra, layer, quantity);
                if (panel.Body.Length == 0)
                {
                    continue;
                }
                page.Html($"<section class=\"panel\" data-layer=\"{ReportPage.E(layer)}\" data-quantity=\"{ReportPage.E(quantity)}\">" +
                    $"<h3>{ReportPage.E(layer)}: {ReportPage.E(QuantityNames.GetValueOrDefault(quantity, quantity))}</h3>\n<div class=\"grid\">\n");
                page.Html(panel.Body.ToString());
                page.Html("</div></section>\n");
            }
        }
    }

    private static void LayerPanel(ReportPage page, AnalysisResult result, IReadOnlyList<Dictionary<string, Array>> spectra, string layer, string quantity)
    {
        var groups = quantity == "weight" ? ["all"] : result.Groups;
        string name = QuantityNames.GetValueOrDefault(quantity, quantity);
        foreach (var series in PhaseAnalysis.SeriesNames)
        {
            var bands = new List<(string, string, Band)>();
            var markers = new List<(string, double)>();
            for (int g = 0; g < groups.Count; g++)
            {
                var group = groups[g];
                var runs = result.Runs.Runs.Select(r => PhaseAnalysis.Trajectory(r, layer, quantity, group, series)).Where(s => s.Steps.Length > 0).ToList();
                if (runs.Count == 0)
                {
                    continue;
                }
                bands.Add((group, quantity == "weight" ? ReportColors.Train : ReportColors.Group(g), Band.Of(runs)));
                var first = result.Phases.Where(p => p.Layer == layer && p.Quantity == quantity && p.Group == group && p.Series == series && p.Boundaries.Count > 0)
                    .Select(p => (double)p.Boundaries[0]).ToList();
                if (first.Count > 0 && first.Count * 2 >= result.Runs.Runs.Count)
                {
                    markers.Add((group, MathNet.Numerics.Statistics.Statistics.Median(first)));
                }
            }
            if (bands.Count > 0)
            {
                string label = series == "log_sigma1" ? (quantity == "weight" ? "ln σ₁" : "ln σ₁ (per sample)") : "effective rank";
                page.Figure(ReportFigures.Bands($"{layer}-{quantity}-{series}", $"{layer} {name}: {label}", "step", label, bands, markers),
                    $"{label} of {layer}'s {name} per recorded step" + (quantity == "weight" ? " (σ(W) is recorded at the start of each epoch and after the last step)." : ", per group."));
            }
        }
        var full = groups.Select(g => (Group: g, Grid: SpectrumGrid.Of(spectra, layer, quantity, g, 20))).Where(x => x.Grid is not null)
            .Select(x => (x.Group, Grid: x.Grid!)).ToList();
        var grids = full.Select(x => (x.Group, Grid: x.Grid.Thin(HeatMapSteps))).ToList();
        string thinned = full.Any(x => x.Grid.Steps.Length > HeatMapSteps)
            ? $" {HeatMapSteps} of the {full.Max(x => x.Grid.Steps.Length)} recorded steps are shown, evenly spaced."
            : "";
        if (grids.Count > 0)
        {
            page.Figure(ReportFigures.Spectra($"{layer}-{quantity}-spectra", $"{layer} {name}: ln σ_k", grids),
                (grids.Count > 1
                    ? $"ln σ_k of each group (k = 1 … {grids.Max(g => g.Grid.K)}, mean across runs), on one colour scale so the groups compare directly."
                    : $"ln σ_k (k = 1 … {grids[0].Grid.K}, mean across runs).") + thinned);
        }
        var byGroup = grids.ToDictionary(x => x.Group, x => x.Grid);
        for (int i = 0; i < groups.Count; i++)
        {
            for (int j = i + 1; j < groups.Count; j++)
            {
                var (a, b) = (groups[i], groups[j]);
                if (byGroup.TryGetValue(a, out var ga) && byGroup.TryGetValue(b, out var gb))
                {
                    page.Figure(ReportFigures.SpectrumDifference($"{layer}-{quantity}-difference-{b}-{a}", $"{layer} {name}: ln σ_k of {b} minus {a}",
                        $"{b} − {a}", gb.Minus(ga)),
                        $"Red: σ_k larger in {b}, blue: larger in {a} (descriptive: it moves with the groups' batch sizes; the tests below account for that)." + thinned);
                }
                if (quantity != "grad")
                {
                    continue;
                }
                foreach (var metric in result.Tests.Where(t => t.Layer == layer && t.GroupA == a && t.GroupB == b).Select(t => t.Metric).Distinct())
                {
                    var rows = WindowTests(result, layer, a, b, metric);
                    if (rows.Count == 0)
                    {
                        continue;
                    }
                    var whole = result.Tests.FirstOrDefault(t => t.Layer == layer && t.GroupA == a && t.GroupB == b && t.Metric == metric && t.Window == SubjectTestRow.WholeRun);
                    var axis = EffectAxis.Of(rows.Select(r => r.Excess!.Value));
                    int cut = rows.Count(r => axis.Cuts(r.ExcessLow ?? r.Excess!.Value, r.ExcessHigh ?? r.Excess!.Value));
                    page.Figure(ReportFigures.Effects($"{layer}-effects-{metric}-{b}-{a}", $"{layer}: {FindingSummary.DescribeMetric(metric)}, {b} − {a}",
                        $"excess ({metric})", rows),
                        $"Subject-level effect per window: the excess of {b} − {a} over same-size random groups with its ≈95% interval; " +
                        "red above zero (higher in " + b + "), blue below; filled: FDR-significant, open: not. The axis is set by the estimates" +
                        (cut > 0 ? $"; {Plural.Of(cut, "interval")} reaching beyond it {(cut == 1 ? "is" : "are")} cut at the edge (grey triangle)" : "") + "." +
                        (whole?.Excess is double e ? $" Whole run: excess {e.ToString("0.###", C)}, FDR p {FindingSummary.FormatP(whole.PAdjusted)}." : ""));
                }
            }
        }
    }

    /// <summary>
    /// One figure per finding, for a paper: the subject-level effect of its layer, metric and pair of groups in every
    /// window, captioned with the finding's sentence (a difference that reverses is two findings, two figures).
    /// </summary>
    private static void FindingFigures(ReportPage page, AnalysisResult result)
    {
        page.Paragraph("One figure per finding (download it as SVG or PNG from the buttons above it): the effect per window of the " +
            "finding's layer, metric and pair of groups, filled where FDR-significant; its caption is the finding.");
        for (int i = 0; i < result.Findings.Count; i++)
        {
            var f = result.Findings[i];
            var rows = WindowTests(result, f.Layer, f.GroupA, f.GroupB, f.Metric);
            if (rows.Count == 0)
            {
                continue;
            }
            page.Figure(ReportFigures.Effects($"finding-{i + 1}", $"Finding {i + 1}: {f.Layer}, {FindingSummary.DescribeMetric(f.Metric)}, {f.GroupB} − {f.GroupA}",
                $"excess ({f.Metric})", rows), $"Finding {i + 1}. {f.Sentence}");
        }
    }

    /// <summary>The window tests of one layer, metric and pair that have an effect size, for an effect plot.</summary>
    private static List<SubjectTestRow> WindowTests(AnalysisResult result, string layer, string a, string b, string metric) =>
        [.. result.Tests.Where(t => t.Layer == layer && t.GroupA == a && t.GroupB == b && t.Metric == metric
            && t.Window == SubjectTestRow.OneWindow && t.Excess is not null)];

    private static void Downloads(ReportPage page, AnalysisResult result)
    {
        page.Heading("tables", "Tables");
        page.Html("<p>Every result table as CSV (embedded in this page; columns in docs/ANALYSIS-TABLES.md):</p><ul>\n");
        foreach (var table in AnalysisTables.Build(result))
        {
            var uri = "data:text/csv;charset=utf-8;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(table.ToCsv()));
            page.Html($"<li id=\"table-{table.Name}\"><a download=\"{table.Name}.csv\" href=\"{uri}\">{table.Name}.csv</a> " +
                $"<span class=\"muted\">({table.Rows} rows)</span></li>\n");
        }
        page.Html("</ul>\n");
    }

    private static string Excess(SubjectTestRow s) => s.Excess is double e
        ? e.ToString("0.###", C) + (s.ExcessLow is double lo && s.ExcessHigh is double hi ? $" [{lo.ToString("0.###", C)}, {hi.ToString("0.###", C)}]" : "")
        : "–";

    private static string Format(double? value, string format) => value is double v && double.IsFinite(v) ? v.ToString(format, C) : "–";

    /// <summary>The median, and [lowest, highest] when the values differ; – for none.</summary>
    private static string Spread(IEnumerable<double> values, string format)
    {
        var v = values.ToArray();
        if (v.Length == 0)
        {
            return "–";
        }
        string median = MathNet.Numerics.Statistics.Statistics.Median(v).ToString(format, C);
        return v.Min() == v.Max() ? median : $"{median} [{v.Min().ToString(format, C)}, {v.Max().ToString(format, C)}]";
    }
}
