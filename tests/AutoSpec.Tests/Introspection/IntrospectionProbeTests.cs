using System.Text.Json;
using AutoSpec.Introspection;
using AutoSpec.Record;
using AutoSpec.Spectra;
using AutoSpec.Tests.Support;
using AutoSpec.Training;
using static TorchSharp.torch;

namespace AutoSpec.Tests.Introspection;

/// <summary>
/// The probe in a training loop written the way a user writes one: what it records is checked against autograd's
/// own gradients and torch's SVD, computed outside the probe, and its schedules and misuse are checked by behaviour.
/// </summary>
public class IntrospectionProbeTests
{
    private const int Samples = 12;
    private static readonly string[] Groups = ["A", "B"];
    private static readonly int[] SampleGroup = [0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 1];

    private static nn.Module<Tensor, Tensor> Model()
    {
        random.manual_seed(7);
        return nn.Sequential(("fc1", nn.Linear(5, 4)), ("act", nn.Tanh()), ("fc2", nn.Linear(4, 3)));
    }

    private static (Tensor X, Tensor Y) Data()
    {
        random.manual_seed(8);
        return (randn(Samples, 5), randint(0, 3, [Samples], ScalarType.Int64));
    }

    private static double[] SvdVals(Tensor m)
    {
        using var d = m.detach().to_type(ScalarType.Float64);
        using var s = linalg.svdvals(d);
        return s.data<double>().ToArray();
    }

    /// <summary>
    /// σ(G_g) of every layer, group and step equals svdvals of the gradient autograd gives for the group's share of
    /// the batch-mean loss (Σ_{i∈g} ℓ_i / N), computed by extra forward and backward passes outside the step scope —
    /// which must not leak into the next step's capture — with and without the background thread.
    /// </summary>
    [Theory]
    [InlineData(BackgroundMode.Off, 1)]
    [InlineData(BackgroundMode.On, 1)]
    [InlineData(BackgroundMode.On, 3)]
    [InlineData(BackgroundMode.Off, 3)]
    public void GroupGradientSpectraEqualTheSvdOfAutogradsGroupGradients(BackgroundMode background, int spectraWorkers)
    {
        using var model = Model();
        var (x, y) = Data();
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        var sink = new MemorySink();
        var options = new IntrospectionOptions { Permutations = 0, Background = background, Quantities = SpectrumQuantities.Grad, SpectraWorkers = spectraWorkers };
        using var probe = new IntrospectionProbe(model, options, Groups, sinks: [sink]);
        Assert.Equal(spectraWorkers, probe.SpectraWorkers);
        var expected = new Dictionary<(long Step, string Layer, string Group), double[]>();
        long step = 0;
        for (int epoch = 0; epoch < 2; epoch++)
        {
            for (int start = 0; start < Samples; start += 6, step++)
            {
                using var scope = NewDisposeScope();
                var index = arange(start, start + 6, ScalarType.Int64);
                var xb = x.index_select(0, index);
                var yb = y.index_select(0, index);
                var groups = SampleGroup[start..(start + 6)];
                for (int g = 0; g < Groups.Length; g++)
                {
                    model.zero_grad();
                    var mask = tensor(groups.Select(v => v == g ? 1f : 0f).ToArray());
                    var perSample = nn.functional.cross_entropy(model.call(xb), yb, reduction: nn.Reduction.None);
                    (perSample * mask).sum().div(tensor(6f)).backward();
                    foreach (var name in new[] { "fc1", "fc2" })
                    {
                        var weight = model.named_parameters().Single(p => p.name == name + ".weight").parameter;
                        expected[(step, name, Groups[g])] = SvdVals(weight.grad!);
                    }
                }
                optimizer.zero_grad();
                using (probe.Step(epoch, step, groups))
                {
                    nn.functional.cross_entropy(model.call(xb), yb).backward();
                }
                optimizer.step();
            }
            probe.EndEpoch();
        }
        probe.Complete();

        var recorded = sink.Spectra.Where(s => s.Quantity == SpectrumQuantities.Grad && s.Group != "all").ToList();
        Assert.Equal(expected.Count, recorded.Count);
        foreach (var s in recorded)
        {
            var reference = expected[(s.Step.Step, s.Layer, s.Group)];
            for (int i = 0; i < reference.Length; i++)
            {
                double value = i < s.Sigma.Length ? s.Sigma[i] : 0;
                Assert.True(Math.Abs(value - reference[i]) <= 1e-5 * (1 + reference[0]),
                    $"step {s.Step.Step} {s.Layer} {s.Group} σ{i}: recorded {value}, autograd {reference[i]}");
            }
        }
        Assert.Equal((4L, 4L), sink.StepCounts);
        Assert.Equal("complete", sink.Status);
        Assert.Empty(sink.Curves);
    }

    /// <summary>
    /// The probe owns σ(W)'s schedule: the first step of every k-th epoch (after backward, before the optimiser step)
    /// and once after the last step, each equal to torch's svdvals of the weight at that moment.
    /// </summary>
    [Fact]
    public void WeightSpectraFollowTheProbesOwnSchedule()
    {
        using var model = Model();
        var (x, y) = Data();
        using var optimizer = optim.SGD(model.parameters(), 0.5);
        var sink = new MemorySink();
        var options = new IntrospectionOptions { Permutations = 0, Background = BackgroundMode.Off, WeightEveryEpochs = 2 };
        using var probe = new IntrospectionProbe(model, options, Groups, sinks: [sink]);
        var fc1 = model.named_parameters().Single(p => p.name == "fc1.weight").parameter;
        var expected = new Dictionary<long, double[]>();
        long step = 0;
        for (int epoch = 0; epoch < 3; epoch++)
        {
            for (int b = 0; b < 2; b++, step++)
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                using (probe.Step(epoch, step, SampleGroup))
                {
                    nn.functional.cross_entropy(model.call(x), y).backward();
                }
                if (b == 0 && epoch % 2 == 0)
                {
                    expected[step] = SvdVals(fc1);
                }
                optimizer.step();
            }
        }
        expected[step] = SvdVals(fc1);
        probe.Complete();

        var weights = sink.Spectra.Where(s => s.Quantity == SpectrumQuantities.Weight && s.Layer == "fc1").ToList();
        Assert.Equal([0L, 4L, 6L], weights.Select(w => w.Step.Step));
        foreach (var w in weights)
        {
            Assert.Equal(expected[w.Step.Step].Length, w.Sigma.Length);
            for (int i = 0; i < w.Sigma.Length; i++)
            {
                Assert.Equal(expected[w.Step.Step][i], w.Sigma[i], 1e-6);
            }
        }
    }

    [Fact]
    public void MisuseIsRefusedNamingWhatIsWrong()
    {
        using var model = Model();
        var (x, y) = Data();
        var sink = new MemorySink();
        using var probe = new IntrospectionProbe(model, new IntrospectionOptions { Permutations = 0, Background = BackgroundMode.Off }, Groups, sinks: [sink]);
        Assert.Equal("groupNames", Assert.Throws<ArgumentException>(() => new IntrospectionProbe(model, new IntrospectionOptions(), ["A", "A"])).ParamName);

        // A scope that ends without backward (here: an evaluation pass) records nothing and leaves no rows behind.
        using (probe.Step(0, 0, SampleGroup))
        {
            using var scope = NewDisposeScope();
            _ = model.call(x);
        }
        Assert.Equal(1, probe.StepsWithoutBackward);

        var open = probe.Step(0, 1, SampleGroup);
        Assert.Throws<InvalidOperationException>(() => probe.Step(0, 2, SampleGroup));
        using (NewDisposeScope())
        {
            nn.functional.cross_entropy(model.call(x), y).backward();
        }
        open.Dispose();
        Assert.Throws<InvalidOperationException>(() => probe.Attach(new MemorySink()));
        Assert.Equal("step", Assert.Throws<ArgumentOutOfRangeException>(() => probe.Step(0, 1, SampleGroup)).ParamName);
        Assert.Equal("sampleGroup", Assert.Throws<ArgumentOutOfRangeException>(() => probe.Step(0, 2, [0, 2])).ParamName);
        Assert.Equal("sampleSubject", Assert.Throws<ArgumentException>(() => probe.Step(0, 2, [0, 1], [7])).ParamName);
        probe.Complete();
        Assert.Equal((1L, 1L), sink.StepCounts);
        var rows = sink.Spectra.Where(s => s.Quantity == SpectrumQuantities.Grad && s.Group == "all" && s.Layer == "fc1").ToList();
        Assert.Equal(Samples, Assert.Single(rows).Samples);
    }

    /// <summary>
    /// A run folder for a caller's loop: its manifest says what the caller says it ran and nothing the command line
    /// would have assumed (no model, optimiser or data of its own), and a probe disposed before completing marks it
    /// failed, its rows kept.
    /// </summary>
    [Fact]
    public void ARunFolderOfACallersLoopDescribesWhatTheCallerRan()
    {
        using var tmp = new TempFolder();
        foreach (bool complete in new[] { true, false })
        {
            var folder = tmp.Combine(complete ? "complete" : "abandoned");
            using (var model = Model())
            {
                var (x, y) = Data();
                var recorder = RunRecorder.Create(folder, new RunDescription
                {
                    Seed = 3,
                    Details = new Dictionary<string, string> { ["model"] = "two-layer tanh MLP", ["data"] = "random" },
                });
                using var probe = new IntrospectionProbe(model, new IntrospectionOptions { Permutations = 0 }, Groups, sinks: [recorder]);
                using (NewDisposeScope())
                using (probe.Step(0, 0, SampleGroup))
                {
                    nn.functional.cross_entropy(model.call(x), y).backward();
                }
                if (complete)
                {
                    probe.Complete();
                }
            }
            using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));
            var root = manifest.RootElement;
            Assert.Equal(complete ? "complete" : "failed", root.GetProperty("status").GetString());
            Assert.Equal(["introspection"], root.GetProperty("configuration").EnumerateObject().Select(p => p.Name));
            Assert.Equal("two-layer tanh MLP", root.GetProperty("description").GetProperty("model").GetString());
            Assert.Equal(3, root.GetProperty("seed").GetInt32());
            Assert.Equal(["fc1", "fc2"], root.GetProperty("layers").EnumerateObject().Select(p => p.Name));
            Assert.False(File.Exists(Path.Combine(folder, RunFiles.Lock)));
            if (complete)
            {
                Assert.True(File.Exists(Path.Combine(folder, "metrics.parquet")));
            }
            else
            {
                Assert.Contains("disposed before Complete()", root.GetProperty("error").GetString());
            }
        }

        // A folder of the user's own files is never written into.
        var mine = tmp.Combine("mine");
        Directory.CreateDirectory(mine);
        File.WriteAllText(Path.Combine(mine, "notes.txt"), "keep");
        Assert.ThrowsAny<Exception>(() => RunRecorder.Create(mine));
        Assert.Equal(["notes.txt"], Directory.GetFiles(mine).Select(Path.GetFileName));
    }

    /// <summary>A layer with a 2-D weight of a type no adapter is registered for.</summary>
    private sealed class Unregistered : nn.Module<Tensor, Tensor>
    {
        public Unregistered(string name, long features) : base(name)
        {
            scale = new TorchSharp.Modules.Parameter(ones(features, features));
            register_parameter("scale", scale);
        }

        public TorchSharp.Modules.Parameter scale { get; }

        public override Tensor forward(Tensor x) => x.matmul(scale);
    }

    /// <summary>The options' fail mode reaches the capture, and a left-out layer is named to the sinks.</summary>
    [Fact]
    public void ALayerNoAdapterCanFactorIsRefusedOrLeftOutAsTheOptionsSay()
    {
        using var model = nn.Sequential(("fc1", nn.Linear(5, 4)), ("odd", new Unregistered("odd", 4)));
        Assert.Contains("'odd'", Assert.Throws<InvalidInputException>(() => new IntrospectionProbe(model, new IntrospectionOptions(), Groups)).Message);
        var sink = new MemorySink();
        using var probe = new IntrospectionProbe(model, new IntrospectionOptions { UnsupportedLayers = AutoSpec.Capture.UnsupportedLayerMode.Warn, Permutations = 0 },
            Groups, sinks: [sink]);
        Assert.Equal(["fc1"], probe.Layers.Select(l => l.Name));
        Assert.Contains("'odd'", Assert.Single(sink.Probe!.Warnings));
    }

    /// <summary>
    /// A layer whose spectra fail on a worker thread (the Gram route refuses a layer of more than 16 384 rows) stops
    /// the run with that error on the training thread, and the probe still ends.
    /// </summary>
    [Fact]
    public void AnErrorInASpectraWorkerReachesTheTrainingThread()
    {
        random.manual_seed(3);
        using var model = nn.Sequential(("small", nn.Linear(2, 2)), ("tall", nn.Linear(2, 2)));
        var options = new IntrospectionOptions
        {
            Permutations = 0,
            Background = BackgroundMode.On,
            SpectraWorkers = 2,
            Route = SpectrumRoute.Gram,
            Quantities = SpectrumQuantities.Act,
        };
        var error = Assert.Throws<InvalidInputException>(() =>
        {
            using var probe = new IntrospectionProbe(model, options, Groups, sinks: [new MemorySink()]);
            // One sample of 17 000 time steps: each layer sees 17 000 rows.
            using var x = randn(1, 17_000, 2, requires_grad: true);
            using (probe.Step(0, 0, [0]))
            {
                model.call(x).sum().backward();
            }
            probe.Complete();
        });
        Assert.Contains("--route gram", error.Message);
        Assert.Contains("'small'", error.Message);
    }
}
