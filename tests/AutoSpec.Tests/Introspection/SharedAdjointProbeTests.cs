using AutoSpec.Introspection;
using AutoSpec.Layers;
using AutoSpec.Spectra;
using static TorchSharp.torch;

namespace AutoSpec.Tests.Introspection;

/// <summary>
/// End to end: an LSTM trained under the probe records, with Δ shared between ih and hh (Auto), the same tables as
/// with every layer computed alone from its own factors (the Direct route), in the same order, within float64 accuracy.
/// </summary>
public class SharedAdjointProbeTests
{
    private static readonly string[] Groups = ["A", "B"];
    private static readonly int[] SampleGroup = [0, 1, 1, 0, 1, 0, 0, 1];

    private static MemorySink Run(SpectrumRoute route)
    {
        random.manual_seed(17);
        using var model = nn.Sequential(
            ("rnn", new RecurrentNetwork("rnn", RecurrentKind.Lstm, 3, 5, layers: 2, bidirectional: true)),
            ("flat", nn.Flatten()),
            ("fc", nn.Linear(4 * 10, 2)));
        var x = randn(16, 4, 3);
        var y = randint(0, 2, [16], ScalarType.Int64);
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        var sink = new MemorySink();
        var options = new IntrospectionOptions
        {
            Permutations = 0,
            Background = BackgroundMode.Off,
            Route = route,
            SplitGates = true,
            Quantities = SpectrumQuantities.Grad | SpectrumQuantities.Act | SpectrumQuantities.Delta,
        };
        using var probe = new IntrospectionProbe(model, options, Groups, sinks: [sink]);
        long step = 0;
        for (int epoch = 0; epoch < 2; epoch++)
        {
            for (int start = 0; start < 16; start += 8, step++)
            {
                using var scope = NewDisposeScope();
                var index = arange(start, start + 8, ScalarType.Int64);
                optimizer.zero_grad();
                using (probe.Step(epoch, step, SampleGroup))
                {
                    nn.functional.cross_entropy(model.call(x.index_select(0, index)), y.index_select(0, index)).backward();
                }
                optimizer.step();
            }
            probe.EndEpoch();
        }
        probe.Complete();
        return sink;
    }

    [Fact]
    public void SharingDeltaLeavesTheTablesAsTheLayersComputedAlone()
    {
        var shared = Run(SpectrumRoute.Auto).Spectra.Where(s => s.Quantity != SpectrumQuantities.Weight).ToList();
        var alone = Run(SpectrumRoute.Direct).Spectra.Where(s => s.Quantity != SpectrumQuantities.Weight).ToList();
        Assert.Equal(alone.Count, shared.Count);
        Assert.Contains(shared, s => s.Layer == "rnn.l1_reverse.hh:o");
        for (int i = 0; i < alone.Count; i++)
        {
            var (a, s) = (alone[i], shared[i]);
            string what = $"step {a.Step.Step} {a.Layer} {a.Group} {a.Quantity}";
            Assert.Equal((a.Step.Step, a.Layer, a.Group, a.Quantity, a.Rows), (s.Step.Step, s.Layer, s.Group, s.Quantity, s.Rows));
            Assert.Equal(a.Sigma.Length, s.Sigma.Length);
            double top = a.Sigma.Length > 0 ? a.Sigma[0] * a.Sigma[0] : 0;
            for (int k = 0; k < a.Sigma.Length; k++)
            {
                // Both routes are float64-exact: squares within 1e-12·σ₁² of the truth each.
                Assert.True(Math.Abs((a.Sigma[k] * a.Sigma[k]) - (s.Sigma[k] * s.Sigma[k])) <= 2e-12 * top,
                    $"{what} σ{k + 1}: shared {s.Sigma[k]}, alone {a.Sigma[k]}");
            }
        }
        // hh's σ(Δ) rows in the tables are ih's, value for value.
        foreach (var hh in shared.Where(s => s.Quantity == SpectrumQuantities.Delta && s.Layer.Contains(".hh", StringComparison.Ordinal)))
        {
            var ih = shared.Single(s => s.Step.Step == hh.Step.Step && s.Group == hh.Group && s.Quantity == SpectrumQuantities.Delta
                && s.Layer == hh.Layer.Replace(".hh", ".ih", StringComparison.Ordinal));
            Assert.Equal(ih.Sigma, hh.Sigma);
            Assert.Equal(ih.Route, hh.Route);
        }
    }
}
