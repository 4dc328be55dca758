using MathNet.Numerics.Distributions;

namespace AutoSpec.Analyse;

/// <summary>
/// Wilcoxon signed-rank test of paired samples, two-sided, as scipy.stats.wilcoxon (zero_method "wilcox": zero
/// differences are dropped; correction = False). Exact null distribution for up to 50 non-zero differences without
/// ties; otherwise the normal approximation with the tie-corrected variance.
/// </summary>
/// <remarks>
/// Written by hand: MathNet.Numerics has no rank tests. The exact distribution counts the subsets of {1..n} by their
/// sum, a textbook dynamic programme.
/// </remarks>
public static class WilcoxonSignedRankTest
{
    /// <summary>Largest number of non-zero differences for which the exact distribution is used.</summary>
    public const int ExactLimit = 50;

    /// <summary>How the p-value is computed.</summary>
    public enum Method
    {
        /// <summary>Exact when n ≤ 50 and no ties or zeros were present, otherwise the normal approximation.</summary>
        Auto,

        /// <summary>Exact null distribution (ties are ranked by their average rank and then ignored).</summary>
        Exact,

        /// <summary>Normal approximation with tie correction, no continuity correction.</summary>
        Approximate,
    }

    /// <summary>
    /// Tests whether the differences x − y are symmetric about zero. Statistic = min(R⁺, R⁻).
    /// </summary>
    public static TestResult Test(IReadOnlyList<double> x, IReadOnlyList<double> y, Method method = Method.Auto)
    {
        if (x.Count != y.Count)
        {
            throw new ArgumentException("paired samples must have the same length");
        }
        return Test(x.Zip(y, (a, b) => a - b).ToArray(), method);
    }

    /// <summary>Tests whether the differences are symmetric about zero.</summary>
    public static TestResult Test(IReadOnlyList<double> differences, Method method = Method.Auto)
    {
        var d = differences.Where(v => v != 0).ToArray();
        int zeros = differences.Count - d.Length;
        int n = d.Length;
        if (n == 0)
        {
            return TestResult.NotRun("wilcoxon", differences.Count, TestStatus.NoVariation, "all differences are zero");
        }
        var (rPlus, rMinus) = SignedRankSums(d);
        double t = Math.Min(rPlus, rMinus);
        var abs = d.Select(Math.Abs).ToArray();
        bool ties = Ranking.HasTies(abs);
        bool exact = method == Method.Exact || (method == Method.Auto && n <= ExactLimit && !ties && zeros == 0);
        if (exact)
        {
            double p = ExactTwoSided(n, (int)Math.Round(rPlus));
            string? note = n < 6 ? $"with {n} pairs the smallest attainable p is {2.0 / Math.Pow(2, n):G3}" : null;
            return new TestResult("wilcoxon_exact", t, p, null, n, TestStatus.Ok, note);
        }
        double mean = n * (n + 1) / 4.0;
        double variance = (n * (n + 1.0) * (2 * n + 1) - 0.5 * Ranking.TieTerm(abs)) / 24.0;
        if (!(variance > 0))
        {
            return TestResult.NotRun("wilcoxon_approx", n, TestStatus.NoVariation, "the rank variance is zero");
        }
        double z = (t - mean) / Math.Sqrt(variance);
        double pApprox = Math.Min(1, 2 * Normal.CDF(0, 1, -Math.Abs(z)));
        return new TestResult("wilcoxon_approx", t, pApprox, null, n, TestStatus.Ok, null);
    }

    /// <summary>R⁺ and R⁻: sums of the ranks of |d| over positive and negative differences (zeros removed).</summary>
    public static (double Plus, double Minus) SignedRankSums(IReadOnlyList<double> nonZeroDifferences)
    {
        var ranks = Ranking.AverageRanks(nonZeroDifferences.Select(Math.Abs).ToArray());
        double plus = 0, minus = 0;
        for (int i = 0; i < ranks.Length; i++)
        {
            if (nonZeroDifferences[i] > 0)
            {
                plus += ranks[i];
            }
            else
            {
                minus += ranks[i];
            }
        }
        return (plus, minus);
    }

    /// <summary>2·min(P(W ≤ r⁺), P(W ≥ r⁺)) under the null, capped at 1 (scipy's convention).</summary>
    private static double ExactTwoSided(int n, int rPlus)
    {
        var counts = SubsetSumCounts(n);
        double total = Math.Pow(2, n);
        int max = counts.Length - 1;
        if (rPlus * 2 == max)
        {
            return 1.0;
        }
        double less = 0, greater = 0;
        for (int s = 0; s <= max; s++)
        {
            if (s <= rPlus)
            {
                less += counts[s];
            }
            if (s >= rPlus)
            {
                greater += counts[s];
            }
        }
        return Math.Min(1.0, 2 * Math.Min(less, greater) / total);
    }

    /// <summary>counts[s] = number of subsets of {1..n} whose elements sum to s (exact in double up to n = 50).</summary>
    private static double[] SubsetSumCounts(int n)
    {
        int max = n * (n + 1) / 2;
        var counts = new double[max + 1];
        counts[0] = 1;
        for (int k = 1; k <= n; k++)
        {
            for (int s = max; s >= k; s--)
            {
                counts[s] += counts[s - k];
            }
        }
        return counts;
    }
}
