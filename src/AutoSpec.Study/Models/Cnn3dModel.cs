using static TorchSharp.torch;

namespace AutoSpec.Models;

/// <summary>
/// Small 3-D CNN for volumes (X × Y × Z): a channel axis is added, then conv1, act1, pool1, conv2, act2, …,
/// global average, fc.
/// </summary>
public static class Cnn3dModel
{
    /// <summary>Creates the model for samples of shape (x, y, z).</summary>
    /// <param name="shape">Sample shape.</param>
    /// <param name="classes">Output classes.</param>
    /// <param name="o">Model options.</param>
    /// <param name="native">libtorch's Conv3d (true) or <see cref="Layers.UnfoldConvolution"/> (false).</param>
    public static nn.Module<Tensor, Tensor> Create(IReadOnlyList<int> shape, int classes, ModelOptions o, bool native) =>
        ConvolutionStack.Create([("channel", nn.Unflatten(1, [1, shape[0]]))], 1, shape.Select(d => (long)d).ToArray(), classes, o, native,
            () => nn.MaxPool3d(2),
            () => nn.AdaptiveAvgPool3d(1));
}
