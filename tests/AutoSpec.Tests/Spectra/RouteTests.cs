using AutoSpec.Capture;
using AutoSpec.Partition;
using AutoSpec.Spectra;
using static TorchSharp.torch;

namespace AutoSpec.Tests.Spectra;

/// <summary>
/// Every route against the singular values of the explicitly formed matrices (float64 SVD of A_gᵀΔ_g, A_g, Δ_g).
/// </summary>
public class RouteTests
{
    public static TheoryData<SpectrumRoute, int, int, int> Cases()
    {
        var data = new TheoryData<SpectrumRoute, int, int, int>();
        foreach (var route in new[] { SpectrumRoute.Qr, SpectrumRoute.Gram, SpectrumRoute.Direct, SpectrumRoute.Naive, SpectrumRoute.Auto })
        {
            // (rows n, p, q): wide (p < q), tall (p > q), square; groups below and above min(p, q).
            data.Add(route, 24, 10, 40);
            data.Add(route, 24, 40, 10);
            data.Add(route, 24, 16, 16);
            data.Add(route, 90, 12, 9);
            data.Add(route, 90, 64, 48);
        }
        return data;
    }

    internal static double[] ReferenceSigma(Tensor m)
    {
        using var d = m.to_type(ScalarType.Float64);
        using var s = linalg.svdvals(d);
        return s.data<double>().ToArray();
    }

    internal static void AssertSpectrumEqual(double[] expected, double[]? actual, string what)
    {
        Assert.NotNull(actual);
        // Every singular value beyond the first min(rows, p, q) is structurally zero; routes report only those.
        Assert.True(actual.Length <= expected.Length, $"{what}: {actual.Length} values > {expected.Length}");
        double sigma1 = expected[0];
        for (int k = 0; k < expected.Length; k++)
        {
            double a = k < actual.Length ? actual[k] : 0.0;
            // Float64 accuracy for every route: the squares within 1e-12·σ₁², the bound of a symmetric eigensolver on a
            // float64 Gram matrix (errors ≈ n·ε·‖XᵀX‖). It puts every σ_k ≥ 0.01·σ₁ within 5e-11·σ₁; values near zero
            // may be off by up to 1e-6·σ₁ from a Gram route (√(ε·σ₁²)), as from any eigenvalue-based method. A step in
            // float32 (errors of 1e-7–1e-5·σ₁ at σ₁) fails it.
            Assert.True(Math.Abs((expected[k] * expected[k]) - (a * a)) <= 1e-12 * sigma1 * sigma1,
                $"{what}: σ_{k + 1} = {a}, expected {expected[k]} (σ₁ = {sigma1})");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RouteMatchesSvdOfExplicitMatrices(SpectrumRoute route, int rows, int p, int q)
    {
        TorchSharp.torch.random.manual_seed(rows * 1000 + p * 10 + q);
        using var scope = NewDisposeScope();
        // Low-rank structure plus noise, so that the spectra have a spread of magnitudes.
        var a = randn(rows, 3).mm(randn(3, p)) * 3 + randn(rows, p) * 0.1;
        var d = randn(rows, q);
        var rng = new Random(rows);
        int[] sampleGroup = Enumerable.Range(0, rows).Select(i => i < 2 ? 2 : rng.Next(2)).ToArray(); // group 2 has 2 rows
        using var factors = new LayerFactors("layer", "linear", a.alias(), d.alias(), Enumerable.Range(0, rows).ToArray());
        var partition = RowPartition.Create(factors.RowSample, sampleGroup, ["g0", "g1", "g2"]);
        var calculator = new GroupSpectraCalculator(route, SpectrumQuantities.Grad | SpectrumQuantities.Act | SpectrumQuantities.Delta);
        var spectra = calculator.Compute(factors, partition);
        Assert.Equal(4, spectra.Count);
        Assert.Equal("all", spectra[0].Group.Group);
        foreach (var s in spectra)
        {
            using var index = tensor(s.Group.Rows, ScalarType.Int64);
            var ag = a.index_select(0, index).to_type(ScalarType.Float64);
            var dg = d.index_select(0, index).to_type(ScalarType.Float64);
            string what = $"{route}→{s.Route} group {s.Group.Group} ({s.Group.RowCount} rows, p={p}, q={q})";
            AssertSpectrumEqual(ReferenceSigma(ag.t().mm(dg)), s.Grad, what + " grad");
            AssertSpectrumEqual(ReferenceSigma(ag), s.Act, what + " act");
            AssertSpectrumEqual(ReferenceSigma(dg), s.Delta, what + " delta");
            Assert.Equal(Math.Min(s.Group.RowCount, Math.Min(p, q)), s.Grad!.Length);
            if (route != SpectrumRoute.Auto)
            {
                Assert.Equal(route, s.Route);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SinglePrecisionStaysWithinItsStatedBoundAndIsReallySingle(SpectrumRoute route, int rows, int p, int q)
    {
        TorchSharp.torch.random.manual_seed(rows * 1000 + p * 10 + q);
        using var scope = NewDisposeScope();
        var a = randn(rows, 3).mm(randn(3, p)) * 3 + randn(rows, p) * 0.1;
        var d = randn(rows, q);
        var rng = new Random(rows);
        int[] sampleGroup = Enumerable.Range(0, rows).Select(i => i < 2 ? 2 : rng.Next(2)).ToArray();
        using var factors = new LayerFactors("layer", "linear", a.alias(), d.alias(), Enumerable.Range(0, rows).ToArray());
        var partition = RowPartition.Create(factors.RowSample, sampleGroup, ["g0", "g1", "g2"]);
        var quantities = SpectrumQuantities.Grad | SpectrumQuantities.Act | SpectrumQuantities.Delta;
        var single = new GroupSpectraCalculator(route, quantities, SpectrumPrecision.Single).Compute(factors, partition);
        double largestDeparture = 0;
        foreach (var s in single)
        {
            using var index = tensor(s.Group.Rows, ScalarType.Int64);
            var ag = a.index_select(0, index).to_type(ScalarType.Float64);
            var dg = d.index_select(0, index).to_type(ScalarType.Float64);
            foreach (var (expected, actual) in new[] { (ReferenceSigma(ag.t().mm(dg)), s.Grad), (ReferenceSigma(ag), s.Act), (ReferenceSigma(dg), s.Delta) })
            {
                Assert.NotNull(actual);
                double sigma1 = expected[0];
                for (int k = 0; k < expected.Length; k++)
                {
                    double x = k < actual.Length ? actual[k] : 0.0;
                    double departure = Math.Abs((expected[k] * expected[k]) - (x * x)) / (sigma1 * sigma1);
                    // docs/PERFORMANCE.md: on the zoo models the worst case was 2.9e-6, and 1.3e-5 for the 3D-CNN,
                    // whose products sum 65 536 rows in float32; these small shapes stay below 1e-5.
                    Assert.True(departure <= 1e-5, $"{route} {s.Group.Group}: σ_{k + 1} = {x}, expected {expected[k]} (σ₁ = {sigma1})");
                    largestDeparture = Math.Max(largestDeparture, departure);
                }
            }
        }
        // Float32 rounding shows: had the computation stayed in float64, every departure would be below 1e-12.
        Assert.True(largestDeparture > 1e-12, $"{route}: single precision agrees with float64 to {largestDeparture}");
    }

    [Fact]
    public void CostModelsCountOnlyRequestedQuantities()
    {
        Assert.True(RouteCostModel.Qr(16, 128, 8, SpectrumQuantities.Grad) < RouteCostModel.Qr(16, 128, 8, SpectrumQuantities.All));
        Assert.True(PlannedRoute.Choose([4096, 2048, 2048], 64, 64, SpectrumQuantities.Grad).Cost
            < PlannedRoute.Choose([4096, 2048, 2048], 64, 64, SpectrumQuantities.All).Cost);
        Assert.True(PlannedRoute.Choose([64, 32, 32], 256, 256, SpectrumQuantities.Act).Cost
            < PlannedRoute.Choose([64, 32, 32], 256, 256, SpectrumQuantities.All).Cost);
    }

    [Fact]
    public void OnlyRequestedQuantitiesAreComputed()
    {
        using var scope = NewDisposeScope();
        using var factors = new LayerFactors("l", "linear", randn(6, 4), randn(6, 3), [0, 1, 2, 3, 4, 5]);
        var partition = RowPartition.Create(factors.RowSample, [0, 0, 1, 1, 1, 1], ["a", "b"]);
        var spectra = new GroupSpectraCalculator(SpectrumRoute.Auto, SpectrumQuantities.Delta).Compute(factors, partition);
        Assert.All(spectra, s => Assert.Null(s.Grad));
        Assert.All(spectra, s => Assert.Null(s.Act));
        Assert.All(spectra, s => Assert.NotNull(s.Delta));
    }

    [Fact]
    public void WeightSpectrumMatchesKnownValues()
    {
        using var w = tensor(new float[] { 3, 0, 0, 0, -2, 0 }, 2, 3);
        Assert.Equal([3.0, 2.0], WeightSpectrum.Compute(w));
    }
}
