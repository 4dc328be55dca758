using System.Globalization;
using AutoSpec.Analyse;
using AutoSpec.Data;
using AutoSpec.Training;

namespace AutoSpec.Cli;

/// <summary>
/// What a user came for, printed when <c>run</c> ends: the data as loaded, how well the model does per group, the
/// strongest group differences the runs' own subject-level tests found (the analysis <c>autospec analyze</c> makes with
/// its defaults, so the numbers are the same), and the commands to run next.
/// </summary>
internal static class RunSummary
{
    /// <summary>Findings shown; the rest are in <c>analyze</c>'s tables and the report.</summary>
    private const int ShownFindings = 3;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The summary lines (at most about a dozen).</summary>
    /// <param name="results">The runs just made (replicates of one configuration).</param>
    /// <param name="data">The data they trained on.</param>
    /// <param name="analysis">The analysis of the runs, or null when there is none.</param>
    /// <param name="noAnalysis">Why there is no analysis, when <paramref name="analysis"/> is null.</param>
    public static List<string> Lines(IReadOnlyList<RunResult> results, Dataset data, AnalysisResult? analysis, string? noAnalysis)
    {
        var lines = new List<string> { DataLine(data) };
        if (ValidationLine(results) is { } validation)
        {
            lines.Add(validation);
        }
        lines.AddRange(analysis is null ? [$"group differences: not analysed ({noAnalysis})."] : Differences(analysis));
        var runs = results.Select(r => ShownPath.Of(r.Directory)).ToList();
        string target = runs.Count == 1 ? runs[0] : ShownPath.Of(Path.GetDirectoryName(results[0].Directory)!) + "/seed-*";
        string folder = runs.Count == 1 ? runs[0] : ShownPath.Of(Path.GetDirectoryName(results[0].Directory)!);
        lines.Add($"next: autospec report {target} --out {folder}/report.html    # findings, curves and spectra on one HTML page");
        lines.Add($"      autospec analyze {target} --out {folder}/analysis      # every test and finding as tables (Parquet, CSV)");
        return lines;
    }

    /// <summary>Subjects, samples, features, group sizes and label balance of the data as loaded.</summary>
    internal static string DataLine(Dataset data)
    {
        int subjects = data.SubjectIds.Distinct(StringComparer.Ordinal).Count();
        string size = subjects == data.SampleCount
            ? $"{Plural.Of(subjects, "subject")}"
            : $"{Plural.Of(subjects, "subject")} ({Plural.Of(data.SampleCount, "sample")})";
        // Group sizes in subjects: the permutation test exchanges labels among subjects.
        var groups = data.Groups.Select((g, i) => (g, s: data.SubjectIds[i])).Distinct()
            .GroupBy(p => p.g, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {g.Count().ToString(Inv)}");
        var labels = data.LabelNames.Select((name, c) =>
        {
            int n = data.Labels.Count(l => l == c);
            return $"{name} {n.ToString(Inv)} ({(100.0 * n / data.SampleCount).ToString("0", Inv)} %)";
        });
        string labelUnit = subjects == data.SampleCount ? "" : " (samples)";
        // A file is named as the user can paste it; a generator's description is cut before its parameters.
        string source = File.Exists(data.Source) ? ShownPath.Of(data.Source) : data.Source.Split('(')[0];
        return $"data: {size}, {Plural.Of(data.FeatureCount, "feature")} from {source}; groups {string.Join(", ", groups)} " +
            $"(subjects); labels{labelUnit} {string.Join(", ", labels)}";
    }

    /// <summary>Validation accuracy and AUC overall and per group (means over the runs when there are several).</summary>
    private static string? ValidationLine(IReadOnlyList<RunResult> results)
    {
        var accuracies = results.Select(r => r.Final.ValidationAccuracy).OfType<double>().ToList();
        if (accuracies.Count == 0)
        {
            return null;
        }
        string over = results.Count == 1 ? "" : $", mean of {Plural.Of(results.Count, "run")}";
        int samples = results[0].ValidationByGroup.Sum(g => g.Samples);
        var parts = new List<string>
        {
            $"accuracy {accuracies.Average().ToString("F3", Inv)}, AUC {Mean(results.Select(r => r.Final.ValidationAuc))}",
        };
        foreach (var group in results.SelectMany(r => r.ValidationByGroup).GroupBy(g => g.Group, StringComparer.Ordinal))
        {
            var g = group.ToList();
            parts.Add($"group {group.Key} ({g[0].Samples.ToString(Inv)}) {g.Average(s => s.Accuracy).ToString("F3", Inv)}, AUC {Mean(g.Select(s => s.Auc))}");
        }
        return $"validation ({Plural.Of(samples, "sample")}{over}): {string.Join("; ", parts)}";
    }

    /// <summary>The analysis in a few lines: how many tests, the strongest findings, and what n counts.</summary>
    private static List<string> Differences(AnalysisResult analysis)
    {
        var tests = analysis.Tests;
        var tested = tests.Where(t => t.P is not null).ToList();
        if (tested.Count == 0)
        {
            return [$"group differences: nothing tested ({(analysis.Notes.Count > 0 ? analysis.Notes[0] : "no permutation test recorded")})."];
        }
        int significant = tests.Count(t => t.Significant);
        var lines = new List<string>
        {
            $"group differences (subject-level permutation test of {string.Join(" vs ", analysis.Groups)}): " +
            $"{significant.ToString(Inv)} of {Plural.Of(tested.Count, "test")} significant at FDR {analysis.Options.Alpha.ToString("0.###", Inv)}, " +
            $"{Plural.Of(analysis.Findings.Count, "finding")}" + (analysis.Findings.Count > 0 ? "; strongest:" : "."),
        };
        foreach (var f in analysis.Findings.Take(ShownFindings))
        {
            lines.Add("  " + Short(f));
        }
        if (analysis.Findings.Count == 0)
        {
            var best = tested.OrderBy(t => t.P).ThenByDescending(t => Math.Abs(t.Z ?? 0)).First();
            lines.Add($"  smallest p: layer {best.Layer}, {FindingSummary.DescribeMetric(best.Metric)}, {Where(best)}: " +
                $"{Numbers(best)}; not significant after FDR correction.");
        }
        // n as the analysis counts it: the subjects of each compared pair whose labels were exchanged.
        var pairs = tested.Select(t => (t.GroupA, t.GroupB, t.SubjectsA, t.SubjectsB)).Distinct()
            .Select(p => $"{(p.SubjectsA + p.SubjectsB).ToString(Inv)} subjects ({p.SubjectsA.ToString(Inv)} {p.GroupA}, {p.SubjectsB.ToString(Inv)} {p.GroupB})");
        var s = tested[0];
        string runs = s.Runs == 1 ? "1 run" : $"{Plural.Of(s.Runs, "run")} averaged, not counted";
        lines.Add($"  n = {string.Join("; ", pairs)} whose group labels were exchanged, sizes kept; " +
            $"{s.Permutations.ToString(Inv)} relabellings; {runs}.");
        return lines;
    }

    /// <summary>A finding in one line: where, which way, and its strongest test's numbers.</summary>
    private static string Short(Finding f) =>
        $"{f.Layer}: {FindingSummary.DescribeMetric(f.Metric)} {(f.Higher ? "higher" : "lower")} in {f.GroupB} than in {f.GroupA}, " +
        $"{f.When} (strongest {Where(f.Strongest)}: {Numbers(f.Strongest, raw: false)})";

    private static string Where(SubjectTestRow t) =>
        t.Window == SubjectTestRow.WholeRun ? "over the whole run" : $"at steps {t.FirstStep.ToString(Inv)}–{t.LastStep.ToString(Inv)}";

    private static string Numbers(SubjectTestRow t, bool raw = true) =>
        $"excess {t.Excess?.ToString("+0.###;-0.###", Inv) ?? "n/a"}, z = {t.Z?.ToString("0.#", Inv) ?? "n/a"}, " +
        (raw ? $"p = {FindingSummary.FormatP(t.P)}, " : "") + $"FDR-adjusted p = {FindingSummary.FormatP(t.PAdjusted)}";

    private static string Mean(IEnumerable<double?> values)
    {
        var known = values.OfType<double>().ToList();
        return known.Count == 0 ? "n/a" : known.Average().ToString("F3", Inv);
    }
}
