using System.Globalization;

namespace AutoSpec.Analyse;

/// <summary>Turns significant subject-level tests into plain-words findings.</summary>
public static class FindingSummary
{
    private static readonly Dictionary<string, string> MetricWords = new(StringComparer.Ordinal)
    {
        ["sigma1"] = "σ₁ (largest singular value)",
        ["frobenius"] = "Frobenius norm",
        ["nuclear"] = "nuclear norm",
        ["stable_rank"] = "stable rank",
        ["effective_rank"] = "effective rank",
        ["topk_sum"] = "top-K sum",
        ["topk_fraction"] = "top-K share of the spectrum",
        ["sigma1_normalised"] = "σ₁ of the per-sample mean gradient",
        ["frobenius_normalised"] = "norm of the per-sample mean gradient",
        ["sample_rms"] = "root-mean-square norm of the subjects' own gradients",
        ["spectral_decay"] = "spectral decay slope",
    };

    private static readonly Dictionary<string, string> QuantityWords = new(StringComparer.Ordinal)
    {
        ["grad"] = "gradient",
        ["act"] = "input (activation)",
        ["delta"] = "adjoint (backpropagated error)",
        ["weight"] = "weight",
    };

    /// <summary>Plain-words name of a metric column.</summary>
    public static string DescribeMetric(string metric) => MetricWords.GetValueOrDefault(metric, metric);

    /// <summary>Plain-words name of a quantity.</summary>
    public static string DescribeQuantity(string quantity) => QuantityWords.GetValueOrDefault(quantity, quantity);

    /// <summary>The findings, strongest first: per layer × metric × pair × direction of the significant tests.</summary>
    public static List<Finding> Summarise(IReadOnlyList<SubjectTestRow> tests)
    {
        var findings = new List<Finding>();
        foreach (var cell in tests.Where(t => t.Significant && t.Excess is not null)
            .GroupBy(t => (t.Layer, t.Metric, t.GroupA, t.GroupB, Higher: t.Excess > 0)))
        {
            var significant = cell.OrderBy(t => t.FirstStep).ToList();
            var epochs = significant.Select(t => t.Epoch).Distinct().ToList();
            var strongest = significant.OrderBy(t => t.PAdjusted).ThenByDescending(t => Math.Abs(t.Z ?? 0)).First();
            var (layer, metric, a, b, higher) = cell.Key;
            findings.Add(new Finding(layer, metric, a, b, higher, epochs, strongest, Sentence(significant, epochs, strongest, higher)));
        }
        return findings.OrderBy(f => f.Strongest.PAdjusted).ThenBy(f => f.Layer, StringComparer.Ordinal).ToList();
    }

    private static string Sentence(List<SubjectTestRow> windows, List<int> epochs, SubjectTestRow s, bool higher)
    {
        var c = CultureInfo.InvariantCulture;
        string when = epochs.Count == 1 ? $"in epoch {epochs[0]}" : "in epochs " + string.Join(", ", epochs);
        if (windows.Count != epochs.Count)
        {
            when += $" ({windows.Count} windows)";
        }
        string excess = s.Excess is double e
            ? $"excess {e.ToString("+0.###;-0.###", c)}" + (s.ExcessLow is double lo && s.ExcessHigh is double hi
                ? $" [{lo.ToString("0.###", c)}, {hi.ToString("0.###", c)}]" : "")
            : "excess undefined";
        string z = s.Z is double zv ? $", z = {zv.ToString("0.#", c)}" : "";
        string runs = s.Runs > 1 ? $", mean of {s.Runs} runs ({s.RunsSameSign} with the same sign)" : ", 1 run";
        return $"In layer {s.Layer}, {when}, the {DescribeMetric(s.Metric)} is {(higher ? "higher" : "lower")} in group {s.GroupB} " +
            $"than in group {s.GroupA}, beyond what random groups of the same sizes show (strongest at steps {s.FirstStep}–{s.LastStep}: " +
            $"{excess}{z}, FDR-adjusted p = {FormatP(s.PAdjusted)}; n = {s.SubjectsA + s.SubjectsB} subjects " +
            $"({s.SubjectsA} {s.GroupA}, {s.SubjectsB} {s.GroupB}) whose labels were exchanged, {s.Permutations} relabellings{runs}; " +
            $"family of {s.FamilySize} tests).";
    }

    /// <summary>A p-value in 3 significant digits, or "n/a".</summary>
    public static string FormatP(double? p) => p is double v
        ? v < 0.001 ? v.ToString("0.0e+0", CultureInfo.InvariantCulture) : v.ToString("0.###", CultureInfo.InvariantCulture)
        : "n/a";
}
