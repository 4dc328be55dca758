using AutoSpec.Capture;
using AutoSpec.Tests.Support;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoSpec.Tests.Capture;

public class LayerRegistryTests
{
    private static readonly int[] SampleGroup = [0, 1, 1, 0, 1, 0];
    private static readonly string[] Groups = ["a", "b"];

    /// <summary>
    /// A module type AutoSpec does not know: a channel mixer on channels-first sequences (N, C_in, T) → (N, C_out, T),
    /// y[n, :, t] = W x[n, :, t], so its rows are samples × time steps with channels moved last.
    /// </summary>
    private sealed class ChannelMixer : nn.Module<Tensor, Tensor>
    {
        public ChannelMixer(string name, long inChannels, long outChannels) : base(name)
        {
            weight = new Parameter(randn(outChannels, inChannels) / Math.Sqrt(inChannels));
            register_parameter("weight", weight);
        }

        public Parameter weight { get; }

        public override Tensor forward(Tensor x) => einsum("qp,npt->nqt", weight, x);
    }

    private sealed class ChannelMixerAdapter : ILayerAdapter
    {
        public string Kind(nn.Module module) => "mixer";

        public bool Handles(nn.Module module) => module is ChannelMixer;

        public void Validate(string name, nn.Module module)
        {
        }

        public Parameter Weight(nn.Module module) => ((ChannelMixer)module).weight;

        public (Tensor A, Tensor Delta) Factors(nn.Module module, Tensor input, Tensor outputGrad) =>
            (input.transpose(1, 2).reshape(-1, input.shape[1]), outputGrad.transpose(1, 2).reshape(-1, outputGrad.shape[1]));
    }

    /// <summary>A layer with a 2-D weight of a type nobody registered.</summary>
    private sealed class Unregistered : nn.Module<Tensor, Tensor>
    {
        public Unregistered(string name, long features) : base(name)
        {
            scale = new Parameter(ones(features, features));
            register_parameter("scale", scale);
        }

        public Parameter scale { get; }

        public override Tensor forward(Tensor x) => x.matmul(scale);
    }

    private static nn.Module<Tensor, Tensor> MixerModel() => nn.Sequential(
        ("mix", new ChannelMixer("mix", 4, 5)),
        ("act", nn.Tanh()),
        ("pool", nn.AdaptiveAvgPool1d(1)),
        ("flat", nn.Flatten()),
        ("fc", nn.Linear(5, 2)));

    private static nn.Module<Tensor, Tensor> ModelWithUnregisteredLayer() => nn.Sequential(
        ("fc1", nn.Linear(3, 4)),
        ("odd", new Unregistered("odd", 4)),
        ("fc2", nn.Linear(4, 2)));

    [Fact]
    public void RegisteredAdapterGivesTheSpectraOfTheExplicitGroupGradients()
    {
        // GroupGradientCheck backpropagates each group's share of the loss, reads weight.grad and compares every
        // route's σ(G_g) with svdvals of it.
        random.manual_seed(21);
        var registry = new LayerRegistry().Register(new ChannelMixerAdapter());
        var model = MixerModel();
        var x = randn(6, 4, 7);
        var y = randint(0, 2, 6);
        GroupGradientCheck.Run(model, x, o => nn.functional.cross_entropy(o, y, reduction: nn.Reduction.None),
            SampleGroup, Groups, ["mix", "fc"], registry);
        using var capture = ModelCapture.Attach(model, registry: registry);
        Assert.Equal("mixer", capture.Layers.Single(l => l.Name == "mix").Kind);
    }

    [Fact]
    public void UnregisteredModuleTypeIsRefusedByDefaultNamingTheLayer()
    {
        using var model = MixerModel();
        var e = Assert.Throws<InvalidInputException>(() => ModelCapture.Attach(model, registry: new LayerRegistry()));
        Assert.Contains("'mix' (ChannelMixer)", e.Message);
        Assert.Contains("Conv1d", e.Message);
    }

    [Fact]
    public void ErrorModeNamesTheUnsupportedLayer()
    {
        using var model = ModelWithUnregisteredLayer();
        var e = Assert.Throws<InvalidInputException>(() => ModelCapture.Attach(model, unsupported: UnsupportedLayerMode.Error));
        Assert.Contains("'odd' (Unregistered)", e.Message);
    }

    [Fact]
    public void WarnModeLeavesTheLayerOutAndSaysSo()
    {
        using var model = ModelWithUnregisteredLayer();
        using var capture = ModelCapture.Attach(model, unsupported: UnsupportedLayerMode.Warn);
        Assert.Equal(["fc1", "fc2"], capture.Layers.Select(l => l.Name));
        var warning = Assert.Single(capture.Warnings);
        Assert.Contains("'odd' (Unregistered)", warning);
        AssertCapturesTheOthers(model, capture);
    }

    [Fact]
    public void SkipModeLeavesTheLayerOutSilently()
    {
        using var model = ModelWithUnregisteredLayer();
        using var capture = ModelCapture.Attach(model, unsupported: UnsupportedLayerMode.Skip);
        Assert.Equal(["fc1", "fc2"], capture.Layers.Select(l => l.Name));
        Assert.Empty(capture.Warnings);
        AssertCapturesTheOthers(model, capture);
    }

    [Fact]
    public void NamingASkippedLayerSaysItCannotBeFactored()
    {
        using var model = ModelWithUnregisteredLayer();
        var e = Assert.Throws<ArgumentException>(() => ModelCapture.Attach(model, ["odd"], unsupported: UnsupportedLayerMode.Skip));
        Assert.Equal("layerNames", e.ParamName);
        Assert.Contains("cannot factor 'odd'", e.Message);
    }

    [Fact]
    public void RegisteredPassThroughTypeIsAllowedWithoutAWarning()
    {
        using var model = ModelWithUnregisteredLayer();
        var registry = new LayerRegistry().RegisterPassThrough<Unregistered>();
        using var capture = ModelCapture.Attach(model, registry: registry);
        Assert.Equal(["fc1", "fc2"], capture.Layers.Select(l => l.Name));
        Assert.Empty(capture.Warnings);
    }

    [Fact]
    public void CaptureDoesNotDependOnLayers()
    {
        // Layers build on Capture (they describe themselves through IFactoredLayer and IGatedLayers), never the reverse.
        var folder = Path.Combine(Repository.Root(), "src", "AutoSpec", "Capture");
        var offending = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => File.ReadLines(f).Select(line => (File: Path.GetFileName(f), Line: line.Trim())))
            .Where(l => !l.Line.StartsWith("//", StringComparison.Ordinal))
            .Where(l => l.Line.Contains("using AutoSpec.Layers", StringComparison.Ordinal)
                || System.Text.RegularExpressions.Regex.IsMatch(l.Line, @"(?<![\w.])(AutoSpec\.)?Layers\.[A-Z]"))
            .ToList();
        Assert.Empty(offending);
    }

    private static void AssertCapturesTheOthers(nn.Module<Tensor, Tensor> model, ModelCapture capture)
    {
        capture.Enabled = true;
        model.call(randn(5, 3)).sum().backward();
        var factors = capture.TakeFactors();
        Assert.Equal(["fc1", "fc2"], factors.Select(f => f.Layer));
        foreach (var f in factors)
        {
            f.Dispose();
        }
        capture.Clear();
    }
}
