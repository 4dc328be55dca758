using static TorchSharp.torch;

namespace AutoSpec.Models;

/// <summary>
/// 1-D CNN over time courses (C components × T time points): conv1, act1, pool1, conv2, act2, …, global average
/// over time, fc.
/// </summary>
public static class Cnn1dModel
{
    /// <summary>Creates the model for samples of shape (components, time points).</summary>
    public static nn.Module<Tensor, Tensor> Create(IReadOnlyList<int> shape, int classes, ModelOptions o)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        long channels = shape[0];
        for (int i = 0; i < o.Channels.Count; i++)
        {
            layers.Add(($"conv{i + 1}", nn.Conv1d(channels, o.Channels[i], o.Kernel, padding: o.Kernel / 2)));
            layers.Add(($"act{i + 1}", MlpModel.Activation(o.Activation)));
            if (i < o.Channels.Count - 1)
            {
                layers.Add(($"pool{i + 1}", nn.MaxPool1d(2)));
            }
            channels = o.Channels[i];
        }
        layers.Add(("gap", nn.AdaptiveAvgPool1d(1)));
        layers.Add(("flatten", nn.Flatten()));
        layers.Add(("fc", nn.Linear(channels, classes)));
        return nn.Sequential(layers);
    }
}
