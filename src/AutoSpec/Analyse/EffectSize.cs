using MathNet.Numerics.Statistics;

namespace AutoSpec.Analyse;

/// <summary>
/// Standardised effect sizes: Cohen's d (two samples, pooled SD), Cohen's d_z (paired: mean difference / SD of the
/// differences) and the rank-biserial correlation (paired: Kerby's (R⁺ − R⁻)/(R⁺ + R⁻); two samples: 2U₁/(n₁n₂) − 1).
/// Each is null when it is undefined (too few values, or no variation), never 0 or ±∞.
/// </summary>
/// <remarks>Formulas by hand (a few lines each); the means and variances are MathNet's.</remarks>
public static class EffectSize
{
    /// <summary>Cohen's d_z of the differences x − y.</summary>
    public static double? CohensDz(IReadOnlyList<double> differences)
    {
        if (differences.Count < 2)
        {
            return null;
        }
        double sd = differences.StandardDeviation();
        return sd > 0 ? differences.Mean() / sd : null;
    }

    /// <summary>Cohen's d of x against y with the pooled standard deviation (n₁ − 1, n₂ − 1 weights).</summary>
    public static double? CohensD(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        int n1 = x.Count, n2 = y.Count;
        if (n1 < 2 || n2 < 2)
        {
            return null;
        }
        double pooled = Math.Sqrt(((n1 - 1) * x.Variance() + (n2 - 1) * y.Variance()) / (n1 + n2 - 2));
        return pooled > 0 ? (x.Mean() - y.Mean()) / pooled : null;
    }

    /// <summary>Matched-pairs rank-biserial correlation of the differences (zeros dropped), in [−1, 1].</summary>
    public static double? RankBiserialPaired(IReadOnlyList<double> differences)
    {
        var d = differences.Where(v => v != 0).ToArray();
        if (d.Length == 0)
        {
            return null;
        }
        var (plus, minus) = WilcoxonSignedRankTest.SignedRankSums(d);
        return (plus - minus) / (plus + minus);
    }

    /// <summary>Two-sample rank-biserial correlation 2U₁/(n₁n₂) − 1: positive when x tends to exceed y.</summary>
    public static double? RankBiserial(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        int n1 = x.Count, n2 = y.Count;
        if (n1 == 0 || n2 == 0)
        {
            return null;
        }
        var ranks = Ranking.AverageRanks(x.Concat(y).ToArray());
        double u1 = ranks.Take(n1).Sum() - n1 * (n1 + 1) / 2.0;
        return 2 * u1 / (n1 * (double)n2) - 1;
    }
}
