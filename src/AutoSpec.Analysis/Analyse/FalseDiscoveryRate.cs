namespace AutoSpec.Analyse;

/// <summary>
/// Benjamini–Hochberg (1995) and Benjamini–Yekutieli (2001) adjusted p-values, as
/// statsmodels.stats.multitest.multipletests(method="fdr_bh" / "fdr_by"). A test is significant at FDR level q when
/// its adjusted p-value is ≤ q. Null entries (tests that could not be run) are not part of the family: they stay
/// null and do not count in the family size.
/// </summary>
/// <remarks>Written by hand (a step-up over sorted p-values): MathNet.Numerics has no multiple-testing module.</remarks>
public static class FalseDiscoveryRate
{
    /// <summary>Which procedure.</summary>
    public enum Procedure
    {
        /// <summary>Benjamini–Hochberg: valid for independent or positively dependent tests.</summary>
        BenjaminiHochberg,

        /// <summary>Benjamini–Yekutieli: valid under any dependence (BH times Σ 1/i).</summary>
        BenjaminiYekutieli,
    }

    /// <summary>Adjusted p-values in the input order; the family size is the number of non-null entries.</summary>
    public static double?[] Adjust(IReadOnlyList<double?> pValues, Procedure procedure)
    {
        var present = Enumerable.Range(0, pValues.Count).Where(i => pValues[i] is not null)
            .OrderBy(i => pValues[i]!.Value).ToArray();
        int m = present.Length;
        var adjusted = new double?[pValues.Count];
        if (m == 0)
        {
            return adjusted;
        }
        double factor = procedure == Procedure.BenjaminiYekutieli
            ? Enumerable.Range(1, m).Sum(i => 1.0 / i)
            : 1.0;
        double running = double.PositiveInfinity;
        for (int rank = m; rank >= 1; rank--)
        {
            int index = present[rank - 1];
            double value = pValues[index]!.Value * m / rank * factor;
            running = Math.Min(running, value);
            adjusted[index] = Math.Min(1.0, running);
        }
        return adjusted;
    }
}
