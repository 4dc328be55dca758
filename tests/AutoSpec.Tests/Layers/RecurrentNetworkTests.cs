using AutoSpec.Layers;
using AutoSpec.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoSpec.Tests.Layers;

public class RecurrentNetworkTests
{
    public static TheoryData<RecurrentKind, int, bool> Configurations() => new()
    {
        { RecurrentKind.Lstm, 1, false },
        { RecurrentKind.Lstm, 2, true },
        { RecurrentKind.Gru, 1, false },
        { RecurrentKind.Gru, 2, true },
        { RecurrentKind.RnnTanh, 2, false },
        { RecurrentKind.RnnRelu, 1, true },
    };

    private static nn.Module Native(RecurrentKind kind, int input, int hidden, int layers, bool bidirectional) => kind switch
    {
        RecurrentKind.Lstm => nn.LSTM(input, hidden, layers, bidirectional: bidirectional, batchFirst: true),
        RecurrentKind.Gru => nn.GRU(input, hidden, layers, bidirectional: bidirectional, batchFirst: true),
        RecurrentKind.RnnTanh => nn.RNN(input, hidden, layers, nn.NonLinearities.Tanh, bidirectional: bidirectional, batchFirst: true),
        _ => nn.RNN(input, hidden, layers, nn.NonLinearities.ReLU, bidirectional: bidirectional, batchFirst: true),
    };

    private static Tensor NativeOutput(nn.Module native, Tensor x) => native switch
    {
        TorchSharp.Modules.LSTM lstm => lstm.call(x).Item1,
        TorchSharp.Modules.GRU gru => gru.call(x).Item1,
        TorchSharp.Modules.RNN rnn => rnn.call(x).Item1,
        _ => throw new ArgumentException(native.GetType().Name),
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void ComputesTheSameFunctionAndGradientsAsTheNativeLayer(RecurrentKind kind, int layers, bool bidirectional)
    {
        random.manual_seed(7);
        var native = Native(kind, 5, 6, layers, bidirectional);
        var ours = new RecurrentNetwork("rnn", kind, 5, 6, layers, bidirectional);
        ours.CopyFrom(native);
        var x = randn(4, 9, 5);
        var target = randn(4, 9, bidirectional ? 12 : 6);

        var expected = NativeOutput(native, x);
        var actual = ours.call(x);
        GroupGradientCheck.AssertClose(expected, actual, 1e-5, "output");
        (expected - target).pow(2).sum().backward();
        (actual - target).pow(2).sum().backward();

        var nativeGrads = native.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!);
        int directions = bidirectional ? 2 : 1;
        foreach (var (name, parameter) in ours.named_parameters())
        {
            // l0_reverse.ih.weight ↔ weight_ih_l0_reverse
            var parts = name.Split('.');
            var layer = parts[0].Split('_');
            var nativeName = $"{parts[2]}_{parts[1]}_{layer[0]}{(layer.Length > 1 ? "_reverse" : "")}";
            GroupGradientCheck.AssertClose(nativeGrads[nativeName], parameter.grad!, 1e-5, $"{name} vs {nativeName}");
        }
        Assert.Equal(layers * directions * 4, ours.named_parameters().Count());
    }

    [Theory]
    [InlineData(RecurrentKind.Lstm)]
    [InlineData(RecurrentKind.Gru)]
    [InlineData(RecurrentKind.RnnTanh)]
    public void GroupGradientsOfEveryProductAreExact(RecurrentKind kind)
    {
        random.manual_seed(11);
        var model = nn.Sequential(
            ("rnn", new RecurrentNetwork("rnn", kind, 3, 4, layers: 2, bidirectional: true)),
            ("flat", nn.Flatten()),
            ("fc", nn.Linear(6 * 8, 2)));
        var x = randn(7, 6, 3);
        var y = randint(0, 2, 7);
        string[] expectedLayers =
        [
            "rnn.l0.ih", "rnn.l0.hh", "rnn.l0_reverse.ih", "rnn.l0_reverse.hh",
            "rnn.l1.ih", "rnn.l1.hh", "rnn.l1_reverse.ih", "rnn.l1_reverse.hh", "fc",
        ];
        GroupGradientCheck.Run(model, x, o => nn.functional.cross_entropy(o, y, reduction: nn.Reduction.None),
            [0, 1, 1, 0, 1, 1, 1], ["a", "b", "c"], expectedLayers);
    }

    [Theory]
    [InlineData(RecurrentKind.Lstm)]
    [InlineData(RecurrentKind.Gru)]
    public void PerGateFactorsReproduceTheGateBlocksOfWeightGrad(RecurrentKind kind)
    {
        random.manual_seed(21);
        var rnn = new RecurrentNetwork("rnn", kind, 3, 5);
        var model = nn.Sequential(("rnn", rnn), ("flat", nn.Flatten()), ("fc", nn.Linear(4 * 5, 2)));
        using var capture = AutoSpec.Capture.ModelCapture.Attach(model, splitGates: true);
        capture.Enabled = true;
        model.call(randn(6, 4, 3)).pow(2).sum().backward();
        var factors = capture.TakeFactors();
        capture.Clear();
        var gates = kind.GateNames();
        foreach (var product in new[] { "rnn.l0.ih", "rnn.l0.hh" })
        {
            var layer = capture.Layers.Single(l => l.Name == product);
            var grad = layer.WeightGradMatrix()!; // (gates·H) × p
            for (int g = 0; g < gates.Count; g++)
            {
                var f = factors.Single(x => x.Layer == $"{product}:{gates[g]}");
                Assert.Equal("gate", f.LayerKind);
                var explicitGradient = f.Inputs.to_type(ScalarType.Float64).t().mm(f.Adjoints.to_type(ScalarType.Float64));
                GroupGradientCheck.AssertClose(grad.narrow(0, g * 5, 5).t(), explicitGradient, 1e-5, $"{product}:{gates[g]}");
            }
        }
        Assert.Equal(3 + 2 * gates.Count, factors.Count);
        foreach (var f in factors)
        {
            f.Dispose();
        }
    }

    /// <summary>
    /// docs/PERFORMANCE.md: an LSTM's (or RNN's) input-to-hidden and hidden-to-hidden layers capture the same Δ (the
    /// gates' adjoint), ih sample by sample and hh time step by time step: row s·T + t of one is row i·N + s of the
    /// other, t = i forwards and T − 1 − i backwards, in every layer — bit for bit, and as the capture declares.
    /// </summary>
    [Theory]
    [InlineData(RecurrentKind.Lstm, 1, false)]
    [InlineData(RecurrentKind.Lstm, 2, true)]
    [InlineData(RecurrentKind.RnnTanh, 2, true)]
    [InlineData(RecurrentKind.RnnRelu, 1, true)]
    public void InputAndHiddenLayersCaptureTheSameAdjointRowsInAnotherOrder(RecurrentKind kind, int layers, bool bidirectional)
    {
        const int samples = 6, steps = 5, width = 8;
        random.manual_seed(3);
        using var net = new RecurrentNetwork("rnn", kind, width, width, layers, bidirectional);
        using var capture = AutoSpec.Capture.ModelCapture.Attach(net, splitGates: true);
        capture.Enabled = true;
        using var scope = NewDisposeScope();
        int outputs = bidirectional ? 2 * width : width;
        (net.call(randn(samples, steps, width)) * randn(samples, steps, outputs)).sum().backward();
        var factors = capture.TakeFactors(samples);
        var directions = Enumerable.Range(0, layers).SelectMany(l => bidirectional ? new[] { $"l{l}", $"l{l}_reverse" } : [$"l{l}"]);
        foreach (var direction in directions)
        {
            bool reverse = direction.EndsWith("_reverse", StringComparison.Ordinal);
            var ih = factors.Single(f => f.Layer == direction + ".ih");
            var hh = factors.Single(f => f.Layer == direction + ".hh");
            Assert.Equal(samples * steps, ih.Rows);
            Assert.Equal(ih.Rows, hh.Rows);
            Assert.Null(ih.SharesAdjointsWith);
            Assert.Equal(ih.Layer, hh.SharesAdjointsWith);
            var ihRows = ih.Adjoints.data<float>().ToArray();
            var hhRows = hh.Adjoints.data<float>().ToArray();
            long q = ih.Q;
            for (int sample = 0; sample < samples; sample++)
            {
                for (int i = 0; i < steps; i++)
                {
                    int t = reverse ? steps - 1 - i : i;
                    int row = (sample * steps) + t, h = (i * samples) + sample;
                    Assert.Equal(sample, ih.RowSample[row]);
                    Assert.Equal(sample, hh.RowSample[h]);
                    Assert.Equal(row, hh.OwnerRows![h]);
                    Assert.Equal(ihRows.AsSpan((int)(row * q), (int)q).ToArray(), hhRows.AsSpan((int)(h * q), (int)q).ToArray());
                }
            }
            // A gate's Δ is a column block of its layer's: the same rows, declared gate to gate.
            foreach (var gate in factors.Where(f => f.Layer.StartsWith(direction + ".hh:", StringComparison.Ordinal)))
            {
                Assert.Equal(direction + ".ih" + gate.Layer[(direction + ".hh").Length..], gate.SharesAdjointsWith);
                Assert.Equal(hh.OwnerRows, gate.OwnerRows);
            }
        }
        foreach (var f in factors)
        {
            f.Dispose();
        }
    }

    /// <summary>A GRU's hh feeds its n gate through r ∘ (hh's output): its Δ is not ih's, and no sharing is declared.</summary>
    [Fact]
    public void AGrusHiddenLayerHasItsOwnAdjointAndDeclaresNoSharing()
    {
        const int samples = 6, steps = 5, width = 8;
        random.manual_seed(3);
        using var net = new RecurrentNetwork("rnn", RecurrentKind.Gru, width, width, 1, bidirectional: true);
        Assert.Empty(net.SharedAdjoints);
        using var capture = AutoSpec.Capture.ModelCapture.Attach(net, splitGates: true);
        capture.Enabled = true;
        using var scope = NewDisposeScope();
        (net.call(randn(samples, steps, width)) * randn(samples, steps, 2 * width)).sum().backward();
        var factors = capture.TakeFactors(samples);
        Assert.All(factors, f => Assert.Null(f.SharesAdjointsWith));
        var ih = factors.Single(f => f.Layer == "l0.ih");
        var hh = factors.Single(f => f.Layer == "l0.hh");
        var map = RecurrentNetwork.HiddenRowsInInputRows(samples, steps, reverse: false);
        using var rows = tensor(map);
        using var gathered = ih.Adjoints.index_select(0, rows);
        Assert.False(gathered.allclose(hh.Adjoints, rtol: 1e-3, atol: 0));
        foreach (var f in factors)
        {
            f.Dispose();
        }
    }
}
