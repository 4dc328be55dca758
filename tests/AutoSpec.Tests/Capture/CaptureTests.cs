using AutoSpec.Capture;
using AutoSpec.Partition;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoSpec.Tests.Capture;

public class CaptureTests
{
    private static readonly string[] FiveGroups = ["a", "b", "c", "d", "e"];

    /// <summary>A 3-layer MLP in nn.Sequential (which disposes intermediates as it goes).</summary>
    private static nn.Module<Tensor, Tensor> Mlp(int inputs, int outputs) => nn.Sequential(
        ("fc1", nn.Linear(inputs, 7)),
        ("act1", nn.Tanh()),
        ("fc2", nn.Linear(7, 5)),
        ("act2", nn.ReLU()),
        ("fc3", nn.Linear(5, outputs)));

    private static double MaxRelativeError(Tensor expected, Tensor actual)
    {
        using var e = expected.to_type(ScalarType.Float64);
        using var a = actual.to_type(ScalarType.Float64);
        using var diff = (e - a).abs().max();
        using var scale = e.abs().max();
        return diff.item<double>() / Math.Max(scale.item<double>(), 1e-300);
    }

    /// <summary>G_g formed explicitly from the captured factors: A_gᵀ Δ_g, in float64.</summary>
    private static Tensor GroupGradient(LayerFactors f, GroupRows g)
    {
        using var index = tensor(g.Rows, ScalarType.Int64);
        using var a = f.Inputs.index_select(0, index).to_type(ScalarType.Float64);
        using var d = f.Adjoints.index_select(0, index).to_type(ScalarType.Float64);
        return a.t().mm(d);
    }

    [Theory]
    [InlineData(2, new[] { 0, 1, 0, 1, 1, 0, 1, 1, 1, 1 })]
    [InlineData(3, new[] { 0, 0, 0, 0, 0, 0, 1, 1, 2, 0 })] // uneven; group 2 has a single sample
    [InlineData(5, new[] { 0, 1, 2, 3, 0, 1, 2, 3, 0, 0 })] // group 4 ("e") absent from the batch
    public void GroupGradientsSumToWeightGrad(int groupCount, int[] sampleGroup)
    {
        random.manual_seed(11);
        using var model = Mlp(6, 3);
        using var capture = ModelCapture.Attach(model);
        capture.Enabled = true;
        using var scope = NewDisposeScope();
        var x = randn(sampleGroup.Length, 6);
        var y = randint(0, 3, sampleGroup.Length);
        var loss = nn.functional.cross_entropy(model.call(x), y);
        loss.backward();
        var names = FiveGroups[..groupCount];
        var factors = capture.TakeFactors();
        Assert.Equal(3, factors.Count);
        foreach (var f in factors)
        {
            var partition = RowPartition.Create(f.RowSample, sampleGroup, names);
            Assert.Equal(names.Length, partition.Groups.Count + partition.Absent.Count);
            var sum = zeros(f.P, f.Q, ScalarType.Float64);
            foreach (var g in partition.Groups)
            {
                sum += GroupGradient(f, g);
            }
            var weight = ((TorchSharp.Modules.Linear)capture.Layers.Single(l => l.Name == f.Layer).Module).weight!;
            Assert.True(MaxRelativeError(weight.grad!.t(), sum) <= 1e-5, $"{f.Layer}: Σ_g G_g differs from weight.grad");
            f.Dispose();
        }
        capture.Clear();
        if (groupCount == 5)
        {
            Assert.Equal(["e"], RowPartition.Create(Enumerable.Range(0, 10).ToArray(), sampleGroup, names).Absent);
        }
    }

    [Fact]
    public void EachGroupGradientEqualsTheGradientOfThatGroupsShareOfTheLoss()
    {
        // Independent of the factors: backpropagate only the group's per-sample losses (scaled by 1/N as the mean
        // loss does) and read the layer's .grad.
        random.manual_seed(5);
        using var model = Mlp(4, 2);
        int[] sampleGroup = [0, 1, 1, 0, 1, 1, 0, 1];
        var x = randn(8, 4);
        var y = randint(0, 2, 8);
        using var capture = ModelCapture.Attach(model, ["fc2"]);
        capture.Enabled = true;
        nn.functional.cross_entropy(model.call(x), y).backward();
        using var f = capture.TakeFactors().Single();
        capture.Clear();
        capture.Enabled = false;
        var partition = RowPartition.Create(f.RowSample, sampleGroup, ["g0", "g1"]);
        var fc2 = (TorchSharp.Modules.Linear)capture.Layers.Single().Module;
        for (int gi = 0; gi < partition.Groups.Count; gi++)
        {
            var g = partition.Groups[gi];
            model.zero_grad();
            var perSample = nn.functional.cross_entropy(model.call(x), y, reduction: nn.Reduction.None);
            var mask = tensor(sampleGroup.Select(s => gi == s ? 1f : 0f).ToArray());
            ((perSample * mask).sum() / 8).backward();
            Assert.True(MaxRelativeError(fc2.weight!.grad!.t(), GroupGradient(f, g)) <= 1e-5);
        }
    }

    [Fact]
    public void SequenceInputGivesOneRowPerSampleAndStep()
    {
        random.manual_seed(3);
        using var layer = nn.Linear(4, 3);
        using var model = nn.Sequential(("proj", layer), ("act", nn.Tanh()));
        using var capture = ModelCapture.Attach(model);
        capture.Enabled = true;
        var x = randn(5, 6, 4); // N=5 samples, T=6 steps
        model.call(x).pow(2).mean().backward();
        using var f = capture.TakeFactors().Single();
        Assert.Equal(30, f.Rows);
        Assert.Equal(Enumerable.Range(0, 30).Select(r => r / 6), f.RowSample);
        using var a = x.reshape(30, 4);
        Assert.Equal(0.0, MaxRelativeError(a, f.Inputs));
        var partition = RowPartition.Create(f.RowSample, [0, 1, 1, 0, 1], ["x", "y"]);
        Assert.Equal([12, 18], partition.Groups.Select(g => g.RowCount));
        Assert.Equal([2, 3], partition.Groups.Select(g => g.SampleCount));
        var sum = GroupGradient(f, partition.Groups[0]) + GroupGradient(f, partition.Groups[1]);
        Assert.True(MaxRelativeError(layer.weight!.grad!.t(), sum) <= 1e-5);
    }

    [Fact]
    public void LayerCalledTwiceStacksTheRowsOfBothCalls()
    {
        random.manual_seed(4);
        using var layer = nn.Linear(3, 3);
        using var capture = ModelCapture.Attach(layer);
        capture.Enabled = true;
        var x = randn(4, 3);
        layer.call(layer.call(x).tanh()).sum().backward();
        using var f = capture.TakeFactors().Single();
        Assert.Equal(8, f.Rows);
        Assert.Equal([0, 1, 2, 3, 0, 1, 2, 3], f.RowSample);
        using var g = f.Inputs.to_type(ScalarType.Float64).t().mm(f.Adjoints.to_type(ScalarType.Float64));
        Assert.True(MaxRelativeError(layer.weight!.grad!.t(), g) <= 1e-5);
    }

    [Fact]
    public void UnknownLayerNameIsRefusedWithTheKnownNames()
    {
        using var model = Mlp(3, 2);
        var e = Assert.Throws<ArgumentException>(() => ModelCapture.Attach(model, ["fc9"]));
        Assert.Equal("layerNames", e.ParamName);
        Assert.DoesNotContain("--", e.Message);
        Assert.Contains("fc9", e.Message);
        Assert.Contains("fc1, fc2, fc3", e.Message);
    }

    [Fact]
    public void DisabledCaptureKeepsNothingAndCapturedTensorsAreReleased()
    {
        using var model = Mlp(3, 2);
        using var capture = ModelCapture.Attach(model);
        model.call(randn(4, 3)).sum().backward();
        Assert.Empty(capture.TakeFactors());

        capture.Enabled = true;
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int step = 0; step < 20; step++)
        {
            using var scope = NewDisposeScope();
            model.zero_grad();
            model.call(randn(4, 3)).sum().backward();
            foreach (var f in capture.TakeFactors())
            {
                f.Dispose();
            }
            capture.Clear();
        }
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
