using AutoSpec.Analyse;

namespace AutoSpec.Tests.Analyse;

/// <summary>
/// Every statistic against reference values from scipy 1.10.1 (Debian 12's python3-scipy), computed once by
/// tests/reference/statistics_reference.py; each expected value names the call that produced it.
/// </summary>
public class StatisticsReferenceTests
{
    // numpy.random.default_rng(42): np.round(rng.normal(1.0, 1.0, 10), 3) and np.round(rng.normal(0.4, 1.0, 10), 3)
    private static readonly double[] X = [1.305, -0.04, 1.75, 1.941, -0.951, -0.302, 1.128, 0.684, 0.983, 0.147];
    private static readonly double[] Y = [1.279, 1.178, 0.466, 1.527, 0.868, -0.459, 0.769, -0.559, 1.278, 0.35];

    private static readonly double[] X30 =
    [
        0.1151, -0.3809, 1.5225, 0.1455, -0.1283, -0.0521, 0.8323, 0.6654, 0.7127, 0.7308, 2.4416, -0.1064, -0.2122,
        -0.5138, 0.916, 1.429, 0.1861, -0.5402, -0.5245, 0.9506, 1.0433, 0.8432, -0.3655, 0.5322, 0.4167, 0.5187,
        1.1714, 0.5236, 0.9789, 0.3676,
    ];

    private static readonly double[] Y30 =
    [
        0.2891, 0.6313, -1.4572, -0.3197, -0.4704, -0.6389, -0.2751, 1.4949, -0.8658, 0.9683, -1.6829, -0.3349, 0.1628,
        0.5862, 0.7112, 0.7933, -0.3487, -0.4624, 0.858, -0.1913, -1.2757, -1.1333, -0.9195, 0.4972, 0.1424, 0.6905,
        -0.4273, 0.1585, 0.6256, -0.3093,
    ];

    private static readonly double[] A = [0.457, -0.662, -0.363, -0.382, -1.196, 0.487, -0.469];
    private static readonly double[] B = [1.225, 2.161, 2.093, 2.531, 1.003, 0.353, 1.041, -2.175, -1.694, -1.445, -0.794];

    private static void Close(double expected, double? actual, double tolerance = 1e-12)
    {
        Assert.NotNull(actual);
        Assert.True(Math.Abs(expected - actual!.Value) <= tolerance * Math.Max(1, Math.Abs(expected)),
            $"expected {expected:R}, got {actual:R}");
    }

    [Fact]
    public void WilcoxonExactMatchesScipy()
    {
        // scipy.stats.wilcoxon(x, y, method='exact') → statistic 24.0, pvalue 0.76953125
        var r = WilcoxonSignedRankTest.Test(X, Y, WilcoxonSignedRankTest.Method.Exact);
        Assert.Equal("wilcoxon_exact", r.Test);
        Close(24.0, r.Statistic);
        Close(0.76953125, r.PValue);
        // Auto picks the exact distribution here (n = 10, no ties, no zeros).
        Close(0.76953125, WilcoxonSignedRankTest.Test(X, Y).PValue);
    }

    [Fact]
    public void WilcoxonExactWithThirtyPairsMatchesScipy()
    {
        // scipy.stats.wilcoxon(x30, y30, method='exact') → statistic 112.0, pvalue 0.012047622352838516
        var r = WilcoxonSignedRankTest.Test(X30, Y30);
        Close(112.0, r.Statistic);
        Close(0.012047622352838516, r.PValue);
    }

    [Fact]
    public void WilcoxonNormalApproximationMatchesScipy()
    {
        // scipy.stats.wilcoxon(x, y, method='approx') → statistic 24.0, pvalue 0.7212766990291557
        var r = WilcoxonSignedRankTest.Test(X, Y, WilcoxonSignedRankTest.Method.Approximate);
        Close(24.0, r.Statistic);
        Close(0.7212766990291557, r.PValue, 1e-10);
    }

    [Fact]
    public void WilcoxonWithTiesAndZerosUsesTheTieCorrectedApproximation()
    {
        double[] xt = [1.5, 2.0, 3.0, 2.5, 4.0, 1.0, 2.0, 3.5, 2.5, 3.0, 5.0, 2.0];
        double[] yt = [1.0, 2.5, 2.0, 2.0, 3.0, 1.0, 1.0, 2.5, 3.0, 2.0, 3.0, 1.5];
        // scipy.stats.wilcoxon(xt, yt, method='approx') → statistic 6.0, pvalue 0.014305878435429619
        var r = WilcoxonSignedRankTest.Test(xt, yt);
        Assert.Equal("wilcoxon_approx", r.Test);
        Assert.Equal(11, r.N);
        Close(6.0, r.Statistic);
        Close(0.014305878435429619, r.PValue, 1e-10);
    }

    [Fact]
    public void WilcoxonRefusesAllZeroDifferencesAndFlagsTinySamples()
    {
        var zero = WilcoxonSignedRankTest.Test([1.0, 2, 3], [1.0, 2, 3]);
        Assert.Equal(TestStatus.NoVariation, zero.Status);
        Assert.Null(zero.PValue);
        // Five pairs all in one direction: exact p = 2/32, the smallest attainable; the note says so.
        var five = WilcoxonSignedRankTest.Test([2.0, 3, 4, 5, 6], [1.0, 1, 1, 1, 1]);
        Close(0.0625, five.PValue);
        Assert.Contains("smallest attainable", five.Note);
    }

    [Fact]
    public void PairedTMatchesScipy()
    {
        // scipy.stats.ttest_rel(x, y) → statistic -0.01698106048968616, pvalue 0.986822215162637
        var r = TTest.Paired(X, Y);
        Close(-0.01698106048968616, r.Statistic, 1e-10);
        Close(0.986822215162637, r.PValue, 1e-10);
        Assert.Equal(9, r.DegreesOfFreedom);
    }

    [Fact]
    public void PairedTRefusesTooFewOrConstantDifferences()
    {
        var one = TTest.Paired([1.0], [0.0]);
        Assert.Equal(TestStatus.TooFewReplicates, one.Status);
        Assert.Null(one.PValue);
        var constant = TTest.Paired([2.0, 3.0, 4.0], [1.0, 2.0, 3.0]);
        Assert.Equal(TestStatus.NoVariation, constant.Status);
        Assert.Null(constant.PValue);
    }

    [Fact]
    public void WelchMatchesScipy()
    {
        // scipy.stats.ttest_ind(a, b, equal_var=False) → statistic -1.2594060981806603, pvalue 0.2291386476066407
        var r = TTest.Welch(A, B);
        Close(-1.2594060981806603, r.Statistic, 1e-10);
        Close(0.2291386476066407, r.PValue, 1e-9);
        Assert.Equal(TestStatus.TooFewReplicates, TTest.Welch([1.0], B).Status);
    }

    [Fact]
    public void MannWhitneyExactMatchesScipy()
    {
        // scipy.stats.mannwhitneyu(a[:5], b[:7], method='exact') → statistic 1.0, pvalue 0.005050505050505051
        var small = MannWhitneyUTest.Test(A[..5], B[..7]);
        Assert.Equal("mann_whitney_exact", small.Test);
        Close(1.0, small.Statistic);
        Close(0.005050505050505051, small.PValue);
        // scipy.stats.mannwhitneyu(a, b, method='exact') → statistic 29.0, pvalue 0.42515082956259426
        var r = MannWhitneyUTest.Test(A, B);
        Close(29.0, r.Statistic);
        Close(0.42515082956259426, r.PValue, 1e-10);
    }

    [Fact]
    public void MannWhitneyAsymptoticMatchesScipy()
    {
        // scipy.stats.mannwhitneyu(a, b, method='asymptotic') → statistic 29.0, pvalue 0.415014989725765
        var r = MannWhitneyUTest.Test(A, B, MannWhitneyUTest.Method.Asymptotic);
        Close(29.0, r.Statistic);
        Close(0.415014989725765, r.PValue, 1e-10);
        // With ties "auto" is asymptotic with the tie correction:
        // scipy.stats.mannwhitneyu(c, e) → statistic 41.0, pvalue 0.027785374951449202
        double[] c = [1, 2, 2, 3, 3, 3, 4, 5, 5, 6, 7, 7];
        double[] e = [2, 3, 4, 4, 5, 6, 6, 6, 7, 8, 8, 9, 9, 10];
        var tied = MannWhitneyUTest.Test(c, e);
        Assert.Equal("mann_whitney_asymptotic", tied.Test);
        Close(41.0, tied.Statistic);
        Close(0.027785374951449202, tied.PValue, 1e-10);
    }

    [Fact]
    public void EffectSizesMatchTheirDefinitionsComputedWithNumpyAndScipy()
    {
        var d = X.Zip(Y, (a, b) => a - b).ToArray();
        // np.mean(d) / np.std(d, ddof=1) → -0.005369882823250245
        Close(-0.005369882823250245, EffectSize.CohensDz(d), 1e-10);
        // pooled-SD Cohen's d with np.var(ddof=1) → -0.507631037403598
        Close(-0.507631037403598, EffectSize.CohensD(A, B), 1e-10);
        // 2 * scipy.stats.mannwhitneyu(a, b).statistic / (7 * 11) - 1 → -0.24675324675324672
        Close(-0.24675324675324672, EffectSize.RankBiserial(A, B), 1e-12);
        // R⁺ = scipy.stats.wilcoxon(x, y, alternative='greater').statistic = 31.0, R⁻ = 55 − 31 = 24
        Close((31.0 - 24.0) / 55.0, EffectSize.RankBiserialPaired(d), 1e-12);
        Assert.Null(EffectSize.CohensDz([1.0, 1.0, 1.0]));
        Assert.Null(EffectSize.CohensD([1.0], B));
    }

    [Fact]
    public void PercentileBootstrapAgreesWithScipyWithinMonteCarloError()
    {
        var d = X.Zip(Y, (a, b) => a - b).ToArray();
        // scipy.stats.bootstrap((d,), mean, method='percentile', n_resamples=20000, random_state=0)
        //   → (-0.6001049999999999, 0.537212499999999); the resampling streams differ, so only to Monte Carlo error.
        var mean = Bootstrap.OneSample(d, v => v.Average(), resamples: 20000, seed: 1);
        Assert.NotNull(mean);
        Assert.InRange(mean!.Low, -0.6001 - 0.03, -0.6001 + 0.03);
        Assert.InRange(mean.High, 0.5372 - 0.03, 0.5372 + 0.03);
        // Same with d_z: → (-0.6366833896742481, 0.8374058829034273)
        var dz = Bootstrap.OneSample(d, EffectSize.CohensDz, resamples: 20000, seed: 1);
        Assert.InRange(dz!.Low, -0.6367 - 0.05, -0.6367 + 0.05);
        Assert.InRange(dz.High, 0.8374 - 0.05, 0.8374 + 0.05);
        // Seeded: the same call gives the same interval.
        Assert.Equal(dz, Bootstrap.OneSample(d, EffectSize.CohensDz, resamples: 20000, seed: 1));
    }
}
