using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace AutoSpec.Analyse;

/// <summary>
/// Student's paired t test and Welch's unequal-variance t test, two-sided, as scipy.stats.ttest_rel and
/// scipy.stats.ttest_ind(equal_var=False). The t distribution is MathNet's.
/// </summary>
public static class TTest
{
    /// <summary>Paired t test of x − y against zero; df = n − 1. Needs at least 2 pairs that are not all equal.</summary>
    public static TestResult Paired(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count)
        {
            throw new ArgumentException("paired samples must have the same length");
        }
        var d = x.Zip(y, (a, b) => a - b).ToArray();
        int n = d.Length;
        if (n < 2)
        {
            return TestResult.NotRun("paired_t", n, TestStatus.TooFewReplicates, $"paired t needs at least 2 pairs (got {n})");
        }
        double mean = d.Mean();
        double sd = d.StandardDeviation();
        if (!(sd > 0))
        {
            return TestResult.NotRun("paired_t", n, TestStatus.NoVariation, "the differences do not vary");
        }
        double t = mean / (sd / Math.Sqrt(n));
        return new TestResult("paired_t", t, TwoSided(t, n - 1), n - 1, n, TestStatus.Ok, null);
    }

    /// <summary>Welch's t test of mean(x) = mean(y) with the Welch–Satterthwaite degrees of freedom.</summary>
    public static TestResult Welch(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        int n1 = x.Count, n2 = y.Count;
        if (n1 < 2 || n2 < 2)
        {
            return TestResult.NotRun("welch_t", n1 + n2, TestStatus.TooFewReplicates,
                $"Welch's t needs at least 2 values per group (got {n1} and {n2})");
        }
        double v1 = x.Variance() / n1, v2 = y.Variance() / n2;
        if (!(v1 + v2 > 0))
        {
            return TestResult.NotRun("welch_t", n1 + n2, TestStatus.NoVariation, "neither group varies");
        }
        double t = (x.Mean() - y.Mean()) / Math.Sqrt(v1 + v2);
        double df = (v1 + v2) * (v1 + v2) / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1));
        return new TestResult("welch_t", t, TwoSided(t, df), df, n1 + n2, TestStatus.Ok, null);
    }

    /// <summary>2·P(T ≤ −|t|), computed in the lower tail so that small p-values keep their precision.</summary>
    private static double TwoSided(double t, double df) => Math.Min(1.0, 2 * StudentT.CDF(0, 1, df, -Math.Abs(t)));
}
