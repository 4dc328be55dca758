using AutoSpec.Layers;
using static TorchSharp.torch;

namespace AutoSpec.Models;

/// <summary>
/// The body shared by the CNNs: conv1, act1, pool1, …, convL, actL, global average, flatten, fc — the dimension
/// (1-D or 3-D) is given. Convolutions are libtorch's own (native) or <see cref="UnfoldConvolution"/>s, as
/// <see cref="ConvolutionChoice"/> decided from the check of this machine's native convolution.
/// </summary>
internal static class ConvolutionStack
{
    public static nn.Module<Tensor, Tensor> Create(
        List<(string, nn.Module<Tensor, Tensor>)> layers,
        long inputChannels,
        IReadOnlyList<long> inputSize,
        int classes,
        ModelOptions o,
        bool native,
        Func<nn.Module<Tensor, Tensor>> pool,
        Func<nn.Module<Tensor, Tensor>> globalAverage)
    {
        var shapes = Shapes(inputChannels, inputSize, o);
        for (int i = 0; i < shapes.Count; i++)
        {
            var s = shapes[i];
            layers.Add((s.Layer, native
                ? NativeLayer(s)
                : new UnfoldConvolution(s.Layer, s.InChannels, s.OutChannels, s.Kernel, padding: s.Padding)));
            layers.Add(($"act{i + 1}", MlpModel.Activation(o.Activation)));
            if (i < shapes.Count - 1)
            {
                layers.Add(($"pool{i + 1}", pool()));
            }
        }
        layers.Add(("gap", globalAverage()));
        layers.Add(("flatten", nn.Flatten()));
        layers.Add(("fc", nn.Linear(shapes[^1].OutChannels, classes)));
        return nn.Sequential(layers);
    }

    /// <summary>The convolution layers of a CNN of the zoo for a sample shape (none for other models).</summary>
    public static IReadOnlyList<ConvolutionShape> Shapes(ModelOptions o, IReadOnlyList<int> sampleShape) =>
        o.Kind.ToLowerInvariant() switch
        {
            "cnn1d" when sampleShape.Count == 2 => Shapes(sampleShape[0], [sampleShape[1]], o),
            "cnn3d" when sampleShape.Count == 3 => Shapes(1, sampleShape.Select(d => (long)d).ToArray(), o),
            _ => [],
        };

    /// <summary>A native Conv1d/2d/3d of a shape (stride 1, zero padding).</summary>
    public static TorchSharp.Modules.Convolution NativeLayer(ConvolutionShape s) => s.Kernel.Length switch
    {
        1 => nn.Conv1d(s.InChannels, s.OutChannels, s.Kernel[0], padding: s.Padding[0]),
        2 => nn.Conv2d(s.InChannels, s.OutChannels, (s.Kernel[0], s.Kernel[1]), padding: (s.Padding[0], s.Padding[1])),
        _ => nn.Conv3d(s.InChannels, s.OutChannels, (s.Kernel[0], s.Kernel[1], s.Kernel[2]), padding: (s.Padding[0], s.Padding[1], s.Padding[2])),
    };

    private static List<ConvolutionShape> Shapes(long inputChannels, IReadOnlyList<long> inputSize, ModelOptions o)
    {
        var shapes = new List<ConvolutionShape>();
        long channels = inputChannels;
        var size = inputSize.ToArray();
        int d = size.Length;
        long pad = o.Kernel / 2;
        for (int i = 0; i < o.Channels.Count; i++)
        {
            shapes.Add(new ConvolutionShape($"conv{i + 1}", channels, o.Channels[i], Enumerable.Repeat((long)o.Kernel, d).ToArray(),
                Enumerable.Repeat(pad, d).ToArray(), size));
            // Stride 1 with padding k/2 keeps the size (one more for an even kernel); the pool halves it, rounding down.
            size = size.Select(l => (l + 2 * pad - (o.Kernel - 1)) / 2).ToArray();
            channels = o.Channels[i];
        }
        return shapes;
    }
}
