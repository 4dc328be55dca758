using AutoSpec.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoSpec.Tests.Layers;

public class ConvolutionTests
{
    // Uneven groups, a group of one sample, and group "c" absent from the batch.
    private static readonly int[] SampleGroup = [0, 1, 1, 0, 1, 1, 1];
    private static readonly string[] Groups = ["a", "b", "c"];

    private static Tensor CrossEntropyPerSample(Tensor logits, Tensor y) =>
        nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.None);

    [Theory]
    [InlineData(1, 1, 0, 1)]
    [InlineData(2, 2, 1, 1)]
    [InlineData(1, 1, 2, 2)]
    [InlineData(2, 1, 3, 3)]
    public void Conv1dGroupGradientsAreExact(int stride, int bias, int padding, int dilation)
    {
        random.manual_seed(stride * 100 + padding * 10 + dilation);
        var model = nn.Sequential(
            ("conv1", nn.Conv1d(4, 6, 3, stride: stride, padding: padding, dilation: dilation, bias: bias == 1)),
            ("act", nn.Tanh()),
            ("conv2", nn.Conv1d(6, 5, 2)),
            ("pool", nn.AdaptiveAvgPool1d(1)),
            ("flat", nn.Flatten()),
            ("fc", nn.Linear(5, 3)));
        var x = randn(7, 4, 19);
        var y = randint(0, 3, 7);
        GroupGradientCheck.Run(model, x, o => CrossEntropyPerSample(o, y), SampleGroup, Groups, ["conv1", "conv2", "fc"]);
    }

    [Fact]
    public void Conv1dSamePaddingIsExact()
    {
        random.manual_seed(8);
        var model = nn.Sequential(("conv", nn.Conv1d(3, 4, 4, padding: Padding.Same, dilation: 2)), ("flat", nn.Flatten()), ("fc", nn.Linear(4 * 10, 2)));
        var x = randn(7, 3, 10);
        var y = randint(0, 2, 7);
        GroupGradientCheck.Run(model, x, o => CrossEntropyPerSample(o, y), SampleGroup, Groups);
    }

    [Theory]
    [InlineData(1, 0, 1)]
    [InlineData(2, 1, 1)]
    [InlineData(1, 2, 2)]
    public void Conv2dGroupGradientsAreExact(int stride, int padding, int dilation)
    {
        random.manual_seed(20 + stride + padding + dilation);
        var model = nn.Sequential(
            ("conv1", nn.Conv2d(2, 4, (3, 2), stride: (stride, 1), padding: (padding, 1), dilation: (dilation, 1))),
            ("act", nn.ReLU()),
            ("pool", nn.AdaptiveAvgPool2d(1)),
            ("flat", nn.Flatten()),
            ("fc", nn.Linear(4, 2)));
        var x = randn(7, 2, 9, 8);
        var y = randint(0, 2, 7);
        GroupGradientCheck.Run(model, x, o => CrossEntropyPerSample(o, y), SampleGroup, Groups);
    }

    /// <remarks>One Conv3d checks the 3-D unfolding; stacking is covered by the 1-D and 2-D cases.</remarks>
    [Theory]
    [InlineData(1, 0, 1)]
    [InlineData(2, 1, 1)]
    [InlineData(1, 1, 2)]
    public void Conv3dGroupGradientsAreExact(int stride, int padding, int dilation)
    {
        random.manual_seed(30 + stride + padding + dilation);
        var model = nn.Sequential(
            ("conv1", nn.Conv3d(2, 3, 3, stride: stride, padding: padding, dilation: dilation)),
            ("act", nn.GELU()),
            ("pool", nn.AdaptiveAvgPool3d(2)),
            ("flat", nn.Flatten()),
            ("fc", nn.Linear(3 * 8, 2)));
        var x = randn([7, 2, 8, 7, 9]);
        var y = randint(0, 2, 7);
        GroupGradientCheck.Run(model, x, o => CrossEntropyPerSample(o, y), SampleGroup, Groups, ["conv1", "fc"]);
    }

    [Fact]
    public void GroupedConvolutionIsRefusedByName()
    {
        var model = nn.Sequential(("depthwise", nn.Conv1d(4, 4, 3, groups: 4)));
        var e = Assert.Throws<InvalidInputException>(() => AutoSpec.Capture.ModelCapture.Attach(model));
        Assert.Contains("'depthwise'", e.Message);
        Assert.Contains("groups = 4", e.Message);
    }
}
