using MathNet.Numerics.Distributions;

namespace AutoSpec.Analyse;

/// <summary>
/// Mann–Whitney U test of two independent samples, two-sided, as scipy.stats.mannwhitneyu (use_continuity = True).
/// Statistic = U of x. Exact null distribution when either sample has at most 8 values and there are no ties;
/// otherwise the normal approximation with tie correction and continuity correction.
/// </summary>
/// <remarks>Written by hand: MathNet.Numerics has no rank tests.</remarks>
public static class MannWhitneyUTest
{
    /// <summary>How the p-value is computed.</summary>
    public enum Method
    {
        /// <summary>Exact when min(n₁, n₂) ≤ 8 and no ties, otherwise asymptotic (scipy's "auto").</summary>
        Auto,

        /// <summary>Exact null distribution of U.</summary>
        Exact,

        /// <summary>Normal approximation with tie and continuity corrections.</summary>
        Asymptotic,
    }

    /// <summary>Tests whether x and y come from the same distribution (against a location shift).</summary>
    public static TestResult Test(IReadOnlyList<double> x, IReadOnlyList<double> y, Method method = Method.Auto)
    {
        int n1 = x.Count, n2 = y.Count;
        if (n1 == 0 || n2 == 0)
        {
            return TestResult.NotRun("mann_whitney", n1 + n2, TestStatus.TooFewReplicates,
                $"Mann–Whitney needs values in both groups (got {n1} and {n2})");
        }
        var all = x.Concat(y).ToArray();
        var ranks = Ranking.AverageRanks(all);
        double r1 = ranks.Take(n1).Sum();
        double u1 = r1 - n1 * (n1 + 1) / 2.0;
        double u = Math.Max(u1, n1 * (double)n2 - u1);
        bool ties = Ranking.HasTies(all);
        bool exact = method == Method.Exact || (method == Method.Auto && (n1 <= 8 || n2 <= 8) && !ties);
        if (exact)
        {
            // P(U ≥ u) = P(U ≤ n₁n₂ − u) by symmetry.
            var counts = Counts(n1, n2);
            int k = (int)Math.Round(n1 * (double)n2 - u);
            double total = counts.Sum();
            double lower = counts.Take(k + 1).Sum();
            return new TestResult("mann_whitney_exact", u1, Math.Min(1.0, 2 * lower / total), null, n1 + n2, TestStatus.Ok, null);
        }
        int n = n1 + n2;
        double s = Math.Sqrt(n1 * (double)n2 / 12.0 * (n + 1 - Ranking.TieTerm(all) / (n * (n - 1.0))));
        if (!(s > 0))
        {
            return TestResult.NotRun("mann_whitney_asymptotic", n, TestStatus.NoVariation, "all values are equal");
        }
        double z = (u - n1 * (double)n2 / 2 - 0.5) / s;
        double p = Math.Clamp(2 * Normal.CDF(0, 1, -z), 0, 1);
        return new TestResult("mann_whitney_asymptotic", u1, p, null, n, TestStatus.Ok, null);
    }

    /// <summary>
    /// counts[u] = number of arrangements of n₁ x's and n₂ y's with statistic u, by the recurrence
    /// c(m, n, u) = c(m − 1, n, u − n) + c(m, n − 1, u).
    /// </summary>
    private static double[] Counts(int n1, int n2)
    {
        int max = n1 * n2;
        // table[j] holds the distribution for (i, j) while i advances row by row.
        var previous = new double[n2 + 1][];
        for (int j = 0; j <= n2; j++)
        {
            previous[j] = [1];
        }
        for (int i = 1; i <= n1; i++)
        {
            var current = new double[n2 + 1][];
            current[0] = [1];
            for (int j = 1; j <= n2; j++)
            {
                var c = new double[i * j + 1];
                var fromX = previous[j];
                for (int v = 0; v < fromX.Length; v++)
                {
                    c[v + j] += fromX[v];
                }
                var fromY = current[j - 1];
                for (int v = 0; v < fromY.Length; v++)
                {
                    c[v] += fromY[v];
                }
                current[j] = c;
            }
            previous = current;
        }
        var result = previous[n2];
        return result.Length == max + 1 ? result : [.. result, .. new double[max + 1 - result.Length]];
    }
}
