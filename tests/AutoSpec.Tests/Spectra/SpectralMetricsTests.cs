using AutoSpec.Analyse;
using AutoSpec.Introspection;
using AutoSpec.Permutation;
using AutoSpec.Spectra;

namespace AutoSpec.Tests.Spectra;

public class SpectralMetricsTests
{
    [Fact]
    public void MetricsParquetKeepsItsColumnsInTheirOrder()
    {
        // Readers of earlier runs (and users' scripts) expect these columns in this order.
        Assert.Equal(
            ["sigma1", "frobenius", "nuclear", "stable_rank", "effective_rank", "topk_sum", "topk_fraction",
                "sigma1_normalised", "frobenius_normalised", "spectral_decay"],
            SpectralMetrics.Columns.Select(m => m.Name));
        Assert.Equal(SpectralMetrics.Columns.Select(m => m.Name), GroupComparisonOptions.KnownMetrics);
    }

    [Fact]
    public void TheAnalysisDefaultsKeepTheirOrder()
    {
        Assert.Equal(
            ["sigma1_normalised", "frobenius_normalised", "stable_rank", "effective_rank", "topk_fraction", "spectral_decay"],
            GroupComparisonOptions.DefaultMetrics);
    }

    [Fact]
    public void TheOnlineTestsDefaultMetricsAreTheRegistrysCheapDefaults()
    {
        var defaults = SpectralMetrics.PermutationDefaults.Select(m => m.Name).ToList();
        Assert.Equal(defaults, new IntrospectionOptions().PermutationMetrics);
        Assert.All(SpectralMetrics.PermutationDefaults, m => Assert.True(m.Cheap));
    }

    [Fact]
    public void MetricsThatTakeKAreNotPermutedWithAnotherK()
    {
        Assert.All(SpectralMetrics.All.Where(m => m.TakesTopK), m => Assert.False(m.Permutable));
        Assert.DoesNotContain("topk_fraction", GramPermutationTest.Metrics);
        var e = Assert.Throws<ArgumentException>(() => GramPermutationTest.CheckMetrics(["topk_fraction"], "Introspection.PermutationMetric"));
        Assert.Equal("Introspection.PermutationMetric", e.ParamName);
    }

    [Fact]
    public void AnUnknownMetricIsAnErrorNotAFallThrough()
    {
        Assert.Null(SpectralMetrics.Find("no_such_metric"));
        Assert.Throws<ArgumentException>(() => GramPermutationTest.Statistic([], [true, false], "no_such_metric"));
        Assert.Throws<ArgumentException>(() => GramPermutationTest.Statistic([], [true, false], "topk_sum"));
    }

    [Fact]
    public void EveryMetricHasWordsAndAUniqueName()
    {
        Assert.Equal(SpectralMetrics.All.Count, SpectralMetrics.All.Select(m => m.Name).Distinct().Count());
        Assert.All(SpectralMetrics.All, m => Assert.NotEqual(m.Name, SpectralMetrics.Describe(m.Name)));
        Assert.Equal("unknown_metric", FindingSummary.DescribeMetric("unknown_metric"));
    }

    [Fact]
    public void NormalisedColumnsAreNullWithoutANormaliser()
    {
        var summary = SpectrumSummary.Of([3.0, 1.0], 1);
        var sigma1 = SpectralMetrics.Find("sigma1_normalised")!;
        Assert.Null(sigma1.Of(summary, null));
        Assert.Equal(6.0, sigma1.Of(summary, 2.0));
        Assert.Null(sigma1.Of(null, 2.0));
    }
}
