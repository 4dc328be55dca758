using AutoSpec.Capture;
using AutoSpec.Layers;
using AutoSpec.Partition;
using AutoSpec.Spectra;
using static TorchSharp.torch;

namespace AutoSpec.Tests.Spectra;

/// <summary>
/// Layers that share Δ (an LSTM's ih and hh) computed as one unit: every layer's σ(G_g), σ(A_g), σ(Δ_g) against
/// float64 SVDs of the explicitly formed matrices, the sharer's σ(Δ_g) taken from its owner, and a declaration that
/// does not hold falling back to the layer's own computation.
/// </summary>
public class SharedAdjointSpectraTests
{
    private const SpectrumQuantities All = SpectrumQuantities.Grad | SpectrumQuantities.Act | SpectrumQuantities.Delta;
    private static readonly string[] GroupNames = ["controls", "patients"];

    /// <summary>Factors of one backward pass through a recurrent network, as the capture hands them out.</summary>
    private static List<LayerFactors> Capture(RecurrentKind kind, int samples, int steps, int input, int hidden, int layers,
        bool bidirectional, bool splitGates = false)
    {
        random.manual_seed(samples + steps + hidden + layers);
        using var net = new RecurrentNetwork("rnn", kind, input, hidden, layers, bidirectional);
        using var capture = ModelCapture.Attach(net, splitGates: splitGates);
        capture.Enabled = true;
        using var scope = NewDisposeScope();
        int outputs = bidirectional ? 2 * hidden : hidden;
        (net.call(randn(samples, steps, input)) * randn(samples, steps, outputs)).sum().backward();
        return capture.TakeFactors(samples);
    }

    private static int[] SampleGroup(int samples) => [.. Enumerable.Range(0, samples).Select(s => s % 3 == 0 ? 1 : 0)];

    private static void AssertExact(LayerFactors f, IReadOnlyList<GroupSpectra> spectra)
    {
        foreach (var s in spectra)
        {
            using var scope = NewDisposeScope();
            using var index = tensor(s.Group.Rows, ScalarType.Int64);
            var ag = f.Inputs.index_select(0, index).to_type(ScalarType.Float64);
            var dg = f.Adjoints.index_select(0, index).to_type(ScalarType.Float64);
            string what = $"{f.Layer} group {s.Group.Group} ({s.Group.RowCount} rows, p={f.P}, q={f.Q})";
            RouteTests.AssertSpectrumEqual(RouteTests.ReferenceSigma(ag.t().mm(dg)), s.Grad, what + " grad");
            RouteTests.AssertSpectrumEqual(RouteTests.ReferenceSigma(ag), s.Act, what + " act");
            RouteTests.AssertSpectrumEqual(RouteTests.ReferenceSigma(dg), s.Delta, what + " delta");
        }
    }

    /// <summary>
    /// Forward, bidirectional and two-layer LSTMs, at shapes where the plan takes row Gram blocks (few rows against
    /// wide gates: K_Δ formed once and gathered for hh) and where it takes columns (many rows against narrow layers).
    /// </summary>
    [Theory]
    [InlineData(8, 4, 24, 32, 1, false)]
    [InlineData(8, 4, 24, 32, 1, true)]
    [InlineData(6, 5, 7, 16, 2, true)]
    [InlineData(20, 30, 3, 4, 2, false)]
    public void EveryLayerOfALstmMatchesExplicitSvdsWithSharedDelta(int samples, int steps, int input, int hidden, int layers, bool bidirectional)
    {
        var factors = Capture(RecurrentKind.Lstm, samples, steps, input, hidden, layers, bidirectional);
        try
        {
            var calculator = new GroupSpectraCalculator(SpectrumRoute.Auto, All);
            var sampleGroup = SampleGroup(samples);
            var units = SharedAdjointUnits.Of(factors);
            Assert.Equal(layers * (bidirectional ? 2 : 1), units.Count);
            foreach (var unit in units)
            {
                var members = unit.Select(i => (factors[i], RowPartition.Create(factors[i].RowSample, sampleGroup, GroupNames))).ToList();
                Assert.Equal(2, members.Count);
                Assert.EndsWith(".ih", members[0].Item1.Layer, StringComparison.Ordinal);
                Assert.True(GroupSpectraCalculator.SharesWith(members[1].Item1, members[1].Item2, members[0].Item1, members[0].Item2));
                var results = calculator.ComputeShared(members);
                for (int k = 0; k < members.Count; k++)
                {
                    Assert.Equal(3, results[k].Count);
                    AssertExact(members[k].Item1, results[k]);
                }
                if (samples * steps <= 32)
                {
                    // Few rows: hh's σ(G) comes from K_Δ, here ih's gathered in hh's row order.
                    Assert.Equal(SpectrumRoute.Gram, results[1][0].RouteOf(SpectrumQuantities.Grad));
                }
                // hh's σ(Δ_g) is its owner's, group by group, and says which route computed it there.
                for (int g = 0; g < 3; g++)
                {
                    Assert.Same(results[0][g].Delta, results[1][g].Delta);
                    Assert.Equal(results[0][g].RouteOf(SpectrumQuantities.Delta), results[1][g].RouteOf(SpectrumQuantities.Delta));
                    Assert.Equal(members[1].Item2.Groups.Prepend(members[1].Item2.All).ElementAt(g), results[1][g].Group);
                }
            }
        }
        finally
        {
            factors.ForEach(f => f.Dispose());
        }
    }

    /// <summary>With only σ(Δ) asked for, a sharer costs nothing: its spectra are its owner's.</summary>
    [Fact]
    public void OnlyDeltaAskedTheSharerTakesItsOwnersSpectra()
    {
        var factors = Capture(RecurrentKind.RnnTanh, 6, 4, 5, 6, 1, false);
        try
        {
            var sampleGroup = SampleGroup(6);
            var unit = factors.Select(f => (f, RowPartition.Create(f.RowSample, sampleGroup, GroupNames))).ToList();
            var results = new GroupSpectraCalculator(SpectrumRoute.Auto, SpectrumQuantities.Delta).ComputeShared(unit);
            foreach (var s in results[1])
            {
                using var dg = Rows(factors[1].Adjoints, s.Group);
                RouteTests.AssertSpectrumEqual(RouteTests.ReferenceSigma(dg), s.Delta, $"hh group {s.Group.Group} delta");
            }
            Assert.All(results[1].Zip(results[0]), x => Assert.Same(x.Second.Delta, x.First.Delta));
            Assert.All(results[1], s => Assert.Null(s.Grad));
        }
        finally
        {
            factors.ForEach(f => f.Dispose());
        }
    }

    private static Tensor Rows(Tensor x, GroupRows g)
    {
        using var index = tensor(g.Rows, ScalarType.Int64);
        return x.index_select(0, index).to_type(ScalarType.Float64);
    }

    /// <summary>A GRU declares no sharing: each of its layers is a unit of its own, computed as before.</summary>
    [Fact]
    public void AGruIsNotShared()
    {
        var factors = Capture(RecurrentKind.Gru, 6, 5, 4, 8, 2, true, splitGates: true);
        try
        {
            var units = SharedAdjointUnits.Of(factors);
            Assert.Equal(factors.Count, units.Count);
            Assert.All(units, u => Assert.Single(u));
        }
        finally
        {
            factors.ForEach(f => f.Dispose());
        }
    }

    /// <summary>Per-gate layers share gate to gate, each pair a unit, and stay exact.</summary>
    [Fact]
    public void GatesShareGateByGate()
    {
        var factors = Capture(RecurrentKind.Lstm, 6, 4, 5, 6, 1, false, splitGates: true);
        try
        {
            var units = SharedAdjointUnits.Of(factors);
            Assert.Equal(5, units.Count);
            var calculator = new GroupSpectraCalculator(SpectrumRoute.Auto, All);
            var sampleGroup = SampleGroup(6);
            foreach (var unit in units)
            {
                Assert.Equal(2, unit.Count);
                var members = unit.Select(i => (factors[i], RowPartition.Create(factors[i].RowSample, sampleGroup, GroupNames))).ToList();
                var results = calculator.ComputeShared(members);
                AssertExact(members[1].Item1, results[1]);
                Assert.Same(results[0][0].Delta, results[1][0].Delta);
            }
        }
        finally
        {
            factors.ForEach(f => f.Dispose());
        }
    }

    /// <summary>
    /// A declaration that does not hold — Δ of other values, or the right rows in a wrong order — is caught before
    /// sharing: the sharer's spectra are then its own, bit for bit those of <see cref="GroupSpectraCalculator.Compute"/>.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AWrongDeclarationFallsBackToTheLayersOwnSpectra(bool permutedOnly)
    {
        const int rows = 24, p = 6, q = 40;
        random.manual_seed(5);
        using var scope = NewDisposeScope();
        int[] rowSample = [.. Enumerable.Range(0, rows).Select(r => r / 4)];
        int[] sampleGroup = [0, 1, 0, 1, 1, 0];
        var delta = randn(rows, q);
        using var owner = new LayerFactors("ih", "linear", randn(rows, p), delta.alias(), rowSample);
        // Rows of each sample swapped in pairs: a permutation that keeps every row with its sample.
        long[] map = [.. Enumerable.Range(0, rows).Select(r => (long)(r ^ 1))];
        using var index = tensor(map);
        var sharerDelta = permutedOnly ? delta.clone() : delta.index_select(0, index) + 1e-3 * randn(rows, q);
        using var sharer = new LayerFactors("hh", "linear", randn(rows, p), sharerDelta, rowSample);
        sharer.DeclareSharedAdjoints("ih", map);
        var unit = new[] { owner, sharer }.Select(f => (f, RowPartition.Create(f.RowSample, sampleGroup, GroupNames))).ToList();

        Assert.False(GroupSpectraCalculator.SharesWith(sharer, unit[1].Item2, owner, unit[0].Item2));
        var calculator = new GroupSpectraCalculator(SpectrumRoute.Auto, All);
        var shared = calculator.ComputeShared(unit);
        var alone = calculator.Compute(sharer, unit[1].Item2);
        for (int g = 0; g < alone.Count; g++)
        {
            Assert.Equal(alone[g].Grad, shared[1][g].Grad);
            Assert.Equal(alone[g].Act, shared[1][g].Act);
            Assert.Equal(alone[g].Delta, shared[1][g].Delta);
        }
        AssertExact(sharer, shared[1]);

        // The right declaration of the same rows passes.
        using var right = new LayerFactors("hh", "linear", randn(rows, p), delta.index_select(0, index), rowSample);
        right.DeclareSharedAdjoints("ih", map);
        Assert.True(GroupSpectraCalculator.SharesWith(right, RowPartition.Create(rowSample, sampleGroup, GroupNames), owner, unit[0].Item2));
    }

    /// <summary>Forced routes never share: each layer's spectra are bit for bit those it gets alone.</summary>
    [Theory]
    [InlineData(SpectrumRoute.Qr)]
    [InlineData(SpectrumRoute.Gram)]
    [InlineData(SpectrumRoute.Direct)]
    [InlineData(SpectrumRoute.Naive)]
    public void ForcedRoutesComputeEveryLayerAlone(SpectrumRoute route)
    {
        var factors = Capture(RecurrentKind.Lstm, 6, 4, 5, 6, 1, false);
        try
        {
            var sampleGroup = SampleGroup(6);
            var unit = factors.Select(f => (f, RowPartition.Create(f.RowSample, sampleGroup, GroupNames))).ToList();
            var calculator = new GroupSpectraCalculator(route, All);
            var shared = calculator.ComputeShared(unit);
            for (int k = 0; k < unit.Count; k++)
            {
                var alone = calculator.Compute(unit[k].f, unit[k].Item2);
                Assert.Equal(alone.Select(s => s.Delta), shared[k].Select(s => s.Delta));
                Assert.Equal(alone.Select(s => s.Grad), shared[k].Select(s => s.Grad));
                Assert.All(shared[k], s => Assert.Equal(route, s.RouteOf(SpectrumQuantities.Delta)));
            }
        }
        finally
        {
            factors.ForEach(f => f.Dispose());
        }
    }
}
