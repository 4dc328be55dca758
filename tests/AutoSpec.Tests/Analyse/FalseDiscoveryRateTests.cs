using AutoSpec.Analyse;

namespace AutoSpec.Tests.Analyse;

public class FalseDiscoveryRateTests
{
    // Benjamini & Hochberg (1995), J. R. Stat. Soc. B 57:289–300, section 4: 15 p-values of a clinical trial; at
    // q = 0.05 the step-up procedure rejects the four smallest (Bonferroni only three).
    private static readonly double?[] Paper =
        [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000];

    private static void AllClose(double[] expected, double?[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]!.Value) < 1e-12, $"[{i}] expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    [Fact]
    public void BenjaminiHochbergReproducesThePaperAndStatsmodels()
    {
        var adjusted = FalseDiscoveryRate.Adjust(Paper, FalseDiscoveryRate.Procedure.BenjaminiHochberg);
        // statsmodels 0.13.5: multipletests(p, alpha=0.05, method='fdr_bh')[1]; 4 rejected
        AllClose([0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.06385714285714286, 0.06385714285714286, 0.0645,
            0.07650000000000001, 0.48600000000000004, 0.5811818181818182, 0.7148749999999999, 0.7532307692307693,
            0.8132142857142857, 1.0], adjusted);
        Assert.Equal(4, adjusted.Count(p => p <= 0.05));
    }

    [Fact]
    public void BenjaminiYekutieliMatchesStatsmodels()
    {
        var adjusted = FalseDiscoveryRate.Adjust(Paper, FalseDiscoveryRate.Procedure.BenjaminiYekutieli);
        // statsmodels 0.13.5: multipletests(p, alpha=0.05, method='fdr_by')[1]; 3 rejected
        AllClose([0.004977343489843491, 0.009954686979686982, 0.03152317543567544, 0.11821190788378289,
            0.20008920829170831, 0.21189262285333715, 0.21189262285333715, 0.2140257700632701, 0.253844517982018,
            1.0, 1.0, 1.0, 1.0, 1.0, 1.0], adjusted);
        Assert.Equal(3, adjusted.Count(p => p <= 0.05));
    }

    [Fact]
    public void UnsortedTiedInputKeepsItsOrderAndNullsStayOutOfTheFamily()
    {
        // statsmodels 0.13.5: multipletests([0.04, 0.01, 0.03, 0.01, 0.2, 0.04], method='fdr_bh')[1]
        double?[] p = [0.04, null, 0.01, 0.03, 0.01, 0.2, null, 0.04];
        var bh = FalseDiscoveryRate.Adjust(p, FalseDiscoveryRate.Procedure.BenjaminiHochberg);
        Assert.Null(bh[1]);
        Assert.Null(bh[6]);
        AllClose([0.048, 0.030000000000000002, 0.048, 0.030000000000000002, 0.2, 0.048],
            [bh[0], bh[2], bh[3], bh[4], bh[5], bh[7]]);
        // ... method='fdr_by'
        var by = FalseDiscoveryRate.Adjust(p, FalseDiscoveryRate.Procedure.BenjaminiYekutieli);
        AllClose([0.11759999999999998, 0.0735, 0.11759999999999998, 0.0735, 0.48999999999999994, 0.11759999999999998],
            [by[0], by[2], by[3], by[4], by[5], by[7]]);
    }
}
