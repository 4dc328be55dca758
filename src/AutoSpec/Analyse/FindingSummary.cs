using System.Globalization;

namespace AutoSpec.Analyse;

/// <summary>Turns significant tests into plain-words findings, one per layer × quantity × metric × pair.</summary>
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
        ["sigma1_normalised"] = "per-sample σ₁",
        ["frobenius_normalised"] = "per-sample Frobenius norm",
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

    /// <summary>The findings, strongest first.</summary>
    public static List<Finding> Summarise(GroupComparisonResult result)
    {
        var findings = new List<Finding>();
        foreach (var cell in result.Tests.GroupBy(r => (r.Layer, r.Quantity, r.Metric, r.GroupA, r.GroupB)))
        {
            var tested = cell.Where(r => r.P is not null).OrderBy(r => r.Epoch).ToList();
            var significant = tested.Where(r => r.Significant).ToList();
            if (significant.Count == 0)
            {
                continue;
            }
            var epochs = significant.Select(r => r.Epoch).ToList();
            int lastTested = tested[^1].Epoch;
            int? from = null;
            // "from epoch e on": every tested epoch from e to the last one is significant.
            for (int i = tested.Count - 1; i >= 0 && tested[i].Significant; i--)
            {
                from = tested[i].Epoch;
            }
            if (from is not null && from == lastTested && tested.Count > 1 && significant.Count == 1)
            {
                from = null;
            }
            var strongest = significant.OrderBy(r => r.PAdjusted).ThenByDescending(r => Math.Abs(r.Effect ?? 0)).First();
            findings.Add(new Finding(cell.Key.Layer, cell.Key.Quantity, cell.Key.Metric, cell.Key.GroupA, cell.Key.GroupB,
                epochs, from, strongest, Sentence(cell.Key.Layer, cell.Key.Quantity, cell.Key.Metric, cell.Key.GroupA,
                    cell.Key.GroupB, epochs, from, strongest)));
        }
        return findings.OrderBy(f => f.Strongest.PAdjusted).ThenBy(f => f.Layer, StringComparer.Ordinal).ToList();
    }

    private static string Sentence(string layer, string quantity, string metric, string a, string b, List<int> epochs,
        int? from, GroupTestRow s)
    {
        var c = CultureInfo.InvariantCulture;
        string when = from is int f ? $"from epoch {f} on" : epochs.Count == 1 ? $"in epoch {epochs[0]}" : "in epochs " + string.Join(", ", epochs);
        string direction = s.MeanDifference > 0 ? "higher" : "lower";
        string effect = s.Effect is double e
            ? $"{(s.EffectName == "cohens_dz" ? "d_z" : "d")} = {e.ToString("0.##", c)}" +
              (s.EffectLow is double lo && s.EffectHigh is double hi ? $" [{lo.ToString("0.##", c)}, {hi.ToString("0.##", c)}]" : "")
            : "effect size undefined";
        return $"In layer {layer}, {when}, the {DescribeMetric(metric)} of the {DescribeQuantity(quantity)} spectrum is " +
            $"{direction} in group {b} than in group {a} (strongest at epoch {s.Epoch}: {effect}, " +
            $"FDR-adjusted p = {FormatP(s.PAdjusted)}, {s.Runs} runs, family of {s.FamilySize} tests).";
    }

    /// <summary>A p-value in 3 significant digits, or "n/a".</summary>
    public static string FormatP(double? p) => p is double v
        ? v < 0.001 ? v.ToString("0.0e+0", CultureInfo.InvariantCulture) : v.ToString("0.###", CultureInfo.InvariantCulture)
        : "n/a";
}
