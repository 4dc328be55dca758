using System.Globalization;
using AutoSpec.Spectra;

namespace AutoSpec.Analyse;

/// <summary>Turns significant subject-level tests into plain-words findings.</summary>
public static class FindingSummary
{
    /// <summary>Plain-words name of a metric column.</summary>
    public static string DescribeMetric(string metric) => SpectralMetrics.Describe(metric);

    /// <summary>
    /// The findings, per layer × metric × pair × direction of the significant tests, strongest first: smallest adjusted
    /// p, then largest |z| (with B relabellings many p-values sit at the floor 1/(B + 1)).
    /// </summary>
    public static List<Finding> Summarise(IReadOnlyList<SubjectTestRow> tests)
    {
        var findings = new List<Finding>();
        foreach (var cell in tests.Where(t => t.Significant && t.Excess is not null)
            .GroupBy(t => (t.Layer, t.Metric, t.GroupA, t.GroupB, Higher: t.Excess > 0)))
        {
            var significant = cell.OrderBy(t => t.FirstStep).ToList();
            var windows = significant.Where(t => t.Window != SubjectTestRow.WholeRun).ToList();
            var epochs = windows.Select(t => t.Epoch).Distinct().ToList();
            bool wholeRun = windows.Count < significant.Count;
            var strongest = significant.OrderBy(t => t.PAdjusted).ThenByDescending(t => Math.Abs(t.Z ?? 0)).First();
            var (layer, metric, a, b, higher) = cell.Key;
            string when = When(windows.Count, epochs, wholeRun);
            findings.Add(new Finding(layer, metric, a, b, higher, epochs, wholeRun, when, strongest, Sentence(when, strongest, higher)));
        }
        return findings.OrderBy(f => f.Strongest.PAdjusted).ThenByDescending(f => Math.Abs(f.Strongest.Z ?? 0))
            .ThenBy(f => f.Layer, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Where a finding holds: the epochs of its significant windows as ranges ("in epochs 0–1, 3–19"), and whether the
    /// whole-run test agrees. The whole-run test has no epoch of its own, so it is named, never listed as an epoch.
    /// </summary>
    private static string When(int windows, List<int> epochs, bool wholeRun)
    {
        string inEpochs = epochs.Count == 0 ? ""
            : (epochs.Count == 1 ? "in epoch " : "in epochs ") + Ranges(epochs)
                + (windows != epochs.Count ? $" ({windows} windows)" : "");
        return (inEpochs, wholeRun) switch
        {
            ("", _) => "over the whole run",
            (_, true) => inEpochs + " and over the whole run",
            _ => inEpochs,
        };
    }

    /// <summary>Ascending integers as comma-separated ranges: 0, 1, 3, 4, 5 → "0–1, 3–5".</summary>
    public static string Ranges(IReadOnlyList<int> sorted)
    {
        var parts = new List<string>();
        for (int i = 0; i < sorted.Count;)
        {
            int j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1)
            {
                j++;
            }
            parts.Add(j == i ? sorted[i].ToString(CultureInfo.InvariantCulture)
                : $"{sorted[i].ToString(CultureInfo.InvariantCulture)}–{sorted[j].ToString(CultureInfo.InvariantCulture)}");
            i = j + 1;
        }
        return string.Join(", ", parts);
    }

    private static string Sentence(string when, SubjectTestRow s, bool higher)
    {
        var c = CultureInfo.InvariantCulture;
        string excess = s.Excess is double e
            ? $"excess {e.ToString("+0.###;-0.###", c)}" + (s.ExcessLow is double lo && s.ExcessHigh is double hi
                ? $" [{lo.ToString("0.###", c)}, {hi.ToString("0.###", c)}]" : "")
            : "excess undefined";
        string z = s.Z is double zv ? $", z = {zv.ToString("0.#", c)}" : "";
        string runs = s.Runs > 1 ? $", mean of {s.Runs} runs ({s.RunsSameSign} with the same sign)" : ", 1 run";
        string at = s.Window == SubjectTestRow.WholeRun ? "over the whole run" : $"at steps {s.FirstStep}–{s.LastStep}";
        return $"In layer {s.Layer}, {when}, the {DescribeMetric(s.Metric)} is {(higher ? "higher" : "lower")} in group {s.GroupB} " +
            $"than in group {s.GroupA}, beyond what random groups of the same sizes show (strongest {at}: " +
            $"{excess}{z}, FDR-adjusted p = {FormatP(s.PAdjusted)}; n = {s.SubjectsA + s.SubjectsB} subjects " +
            $"({s.SubjectsA} {s.GroupA}, {s.SubjectsB} {s.GroupB}) whose labels were exchanged, {s.Permutations} relabellings{runs}; " +
            $"family of {s.FamilySize} tests).";
    }

    /// <summary>A p-value in 3 significant digits, or "n/a".</summary>
    public static string FormatP(double? p) => p is double v
        ? v < 0.001 ? v.ToString("0.0e+0", CultureInfo.InvariantCulture) : v.ToString("0.###", CultureInfo.InvariantCulture)
        : "n/a";
}
