using AutoSpec.Capture;
using AutoSpec.Partition;
using AutoSpec.Spectra;
using static TorchSharp.torch;
using Method = AutoSpec.Spectra.PlannedRoute.Method;

namespace AutoSpec.Tests.Spectra;

/// <summary>
/// Every combination of methods the planner can choose, per group and quantity, against float64 SVDs of the
/// explicitly formed A_gᵀΔ_g, A_g and Δ_g — including "all" assembled from its groups' cross-products, and row Gram
/// blocks that are singular (zero input rows, as a recurrent layer's first hidden state), where the Cholesky
/// factorisation fails and the fallbacks must take over.
/// </summary>
public class PlannedRouteTests
{
    public static TheoryData<int, int, int, bool, int> Cases()
    {
        var data = new TheoryData<int, int, int, bool, int>();
        foreach (var (rows, p, q) in new[] { (24, 10, 40), (24, 40, 10), (90, 12, 9), (30, 64, 48), (230, 110, 100) })
        {
            foreach (bool zeroRows in new[] { false, true })
            {
                for (int combination = 0; combination < 64; combination += 9)
                {
                    data.Add(rows, p, q, zeroRows, combination);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryMethodCombinationMatchesExplicitSvds(int rows, int p, int q, bool zeroRows, int combination)
    {
        random.manual_seed(rows + p + q + combination);
        using var scope = NewDisposeScope();
        var a = randn(rows, 3).mm(randn(3, p)) * 3 + randn(rows, p) * 0.1;
        if (zeroRows)
        {
            a[TensorIndex.Slice(0, rows, 3)] = zeros(p); // every third row of A is zero: K_A blocks are singular
        }
        var d = randn(rows, q);
        int[] sampleGroup = Enumerable.Range(0, rows).Select(i => i % 5 == 0 ? 1 : 0).ToArray();
        using var factors = new LayerFactors("layer", "linear", a.alias(), d.alias(), Enumerable.Range(0, rows).ToArray());
        var partition = RowPartition.Create(factors.RowSample, sampleGroup, ["g0", "g1"]);
        var groups = new List<GroupRows> { partition.All };
        groups.AddRange(partition.Groups);
        // Bits of the combination: methods of the groups (grad, act, delta), then of "all".
        Method M(int bit) => (combination >> bit & 1) == 1 ? Method.Columns : Method.Rows;
        Method[] Per(int bit) => [M(bit + 3), M(bit), M(bit)];
        var plan = new PlannedRoute.Plan(Per(0), Per(1), Per(2), 0);
        var spectra = PlannedRoute.Compute(factors, groups, SpectrumQuantities.All & ~SpectrumQuantities.Weight, plan, ScalarType.Float64);

        Assert.Equal(3, spectra.Count);
        foreach (var s in spectra)
        {
            using var index = tensor(s.Group.Rows, ScalarType.Int64);
            var ag = a.index_select(0, index).to_type(ScalarType.Float64);
            var dg = d.index_select(0, index).to_type(ScalarType.Float64);
            string what = $"plan {combination} group {s.Group.Group} ({s.Group.RowCount} rows, p={p}, q={q}, zero rows {zeroRows})";
            RouteTests.AssertSpectrumEqual(RouteTests.ReferenceSigma(ag.t().mm(dg)), s.Grad, what + " grad");
            RouteTests.AssertSpectrumEqual(RouteTests.ReferenceSigma(ag), s.Act, what + " act");
            RouteTests.AssertSpectrumEqual(RouteTests.ReferenceSigma(dg), s.Delta, what + " delta");
            Assert.Equal(Math.Min(s.Group.RowCount, Math.Min(p, q)), s.Grad!.Length);
        }
        Assert.Equal(M(3) == Method.Columns ? SpectrumRoute.Direct : SpectrumRoute.Gram, spectra[0].RouteOf(SpectrumQuantities.Grad));
    }

    [Fact]
    public void PlansFollowTheShapes()
    {
        // Few rows against wide layers: row Gram blocks everywhere.
        var wide = PlannedRoute.Choose([64, 32, 32], 1378, 512, SpectrumQuantities.All);
        Assert.All(wide.Grad.Concat(wide.Act).Concat(wide.Delta), m => Assert.Equal(Method.Rows, m));
        // A convolution's thousands of rows against a narrow kernel: column cross-products, "all" from its groups'.
        var tall = PlannedRoute.Choose([4480, 2240, 2240], 265, 64, SpectrumQuantities.All);
        Assert.All(tall.Grad.Concat(tall.Act).Concat(tall.Delta), m => Assert.Equal(Method.Columns, m));
        Assert.True(PlannedRoute.Choose([4480, 2240, 2240], 265, 64, SpectrumQuantities.Grad).Cost < tall.Cost);
    }

    [Fact]
    public void ForcingTheGramRouteOnAVeryTallLayerIsRefusedByName()
    {
        long rows = GroupSpectraCalculator.MaxGramRows + 1;
        using var factors = new LayerFactors("conv1", "conv3d", zeros(rows, 2), zeros(rows, 2), new int[rows]);
        var partition = RowPartition.Create(factors.RowSample, [0], ["a"]);
        var e = Assert.Throws<InvalidInputException>(() => new GroupSpectraCalculator(SpectrumRoute.Gram, SpectrumQuantities.Grad).Compute(factors, partition));
        Assert.Contains("'conv1'", e.Message);
        Assert.Contains("--route auto", e.Message);
    }
}
