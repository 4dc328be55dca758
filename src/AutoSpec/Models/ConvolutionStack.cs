using AutoSpec.Layers;
using static TorchSharp.torch;

namespace AutoSpec.Models;

/// <summary>
/// The body shared by the CNNs: conv1, act1, pool1, …, convL, actL, global average, flatten, fc — the dimension
/// (1-D or 3-D) is given; convolutions are <see cref="UnfoldConvolution"/>s (see there why not the native layer).
/// </summary>
internal static class ConvolutionStack
{
    public static nn.Module<Tensor, Tensor> Create(
        List<(string, nn.Module<Tensor, Tensor>)> layers,
        long inputChannels,
        int classes,
        ModelOptions o,
        int dimensions,
        Func<nn.Module<Tensor, Tensor>> pool,
        Func<nn.Module<Tensor, Tensor>> globalAverage)
    {
        long channels = inputChannels;
        for (int i = 0; i < o.Channels.Count; i++)
        {
            layers.Add(($"conv{i + 1}", new UnfoldConvolution($"conv{i + 1}", channels, o.Channels[i],
                Enumerable.Repeat((long)o.Kernel, dimensions).ToArray(),
                padding: Enumerable.Repeat((long)(o.Kernel / 2), dimensions).ToArray())));
            layers.Add(($"act{i + 1}", MlpModel.Activation(o.Activation)));
            if (i < o.Channels.Count - 1)
            {
                layers.Add(($"pool{i + 1}", pool()));
            }
            channels = o.Channels[i];
        }
        layers.Add(("gap", globalAverage()));
        layers.Add(("flatten", nn.Flatten()));
        layers.Add(("fc", nn.Linear(channels, classes)));
        return nn.Sequential(layers);
    }
}
