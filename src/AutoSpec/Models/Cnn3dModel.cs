using static TorchSharp.torch;

namespace AutoSpec.Models;

/// <summary>
/// Small 3-D CNN for volumes (X × Y × Z): a channel axis is added, then conv1, act1, pool1, conv2, act2, …,
/// global average, fc.
/// </summary>
public static class Cnn3dModel
{
    /// <summary>Creates the model for samples of shape (x, y, z).</summary>
    public static nn.Module<Tensor, Tensor> Create(IReadOnlyList<int> shape, int classes, ModelOptions o) =>
        ConvolutionStack.Create([("channel", nn.Unflatten(1, [1, shape[0]]))], 1, classes, o,
            dimensions: 3,
            () => nn.MaxPool3d(2),
            () => nn.AdaptiveAvgPool3d(1));
}
