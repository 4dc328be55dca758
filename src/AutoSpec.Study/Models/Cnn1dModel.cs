using static TorchSharp.torch;

namespace AutoSpec.Models;

/// <summary>
/// 1-D CNN over time courses (C components × T time points): conv1, act1, pool1, conv2, act2, …, global average
/// over time, fc.
/// </summary>
public static class Cnn1dModel
{
    /// <summary>Creates the model for samples of shape (components, time points).</summary>
    /// <param name="shape">Sample shape.</param>
    /// <param name="classes">Output classes.</param>
    /// <param name="o">Model options.</param>
    /// <param name="native">libtorch's Conv1d (true) or <see cref="Layers.UnfoldConvolution"/> (false).</param>
    public static nn.Module<Tensor, Tensor> Create(IReadOnlyList<int> shape, int classes, ModelOptions o, bool native) =>
        ConvolutionStack.Create([], shape[0], [shape[1]], classes, o, native,
            () => nn.MaxPool1d(2),
            () => nn.AdaptiveAvgPool1d(1));
}
