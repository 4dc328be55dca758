using static TorchSharp.torch;

namespace AutoSpec.Models;

/// <summary>
/// Small 3-D CNN for volumes (X × Y × Z): a channel axis is added, then conv1, act1, pool1, conv2, act2, …,
/// global average, fc.
/// </summary>
public static class Cnn3dModel
{
    /// <summary>Creates the model for samples of shape (x, y, z).</summary>
    public static nn.Module<Tensor, Tensor> Create(IReadOnlyList<int> shape, int classes, ModelOptions o)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)> { ("channel", nn.Unflatten(1, [1, shape[0]])) };
        long channels = 1;
        for (int i = 0; i < o.Channels.Count; i++)
        {
            layers.Add(($"conv{i + 1}", nn.Conv3d(channels, o.Channels[i], o.Kernel, padding: o.Kernel / 2)));
            layers.Add(($"act{i + 1}", MlpModel.Activation(o.Activation)));
            if (i < o.Channels.Count - 1)
            {
                layers.Add(($"pool{i + 1}", nn.MaxPool3d(2)));
            }
            channels = o.Channels[i];
        }
        layers.Add(("gap", nn.AdaptiveAvgPool3d(1)));
        layers.Add(("flatten", nn.Flatten()));
        layers.Add(("fc", nn.Linear(channels, classes)));
        return nn.Sequential(layers);
    }
}
