using static TorchSharp.torch;

namespace AutoSpec.Layers;

/// <summary>Averages a sequence (N, T, F) over time: (N, F).</summary>
public sealed class MeanOverTime(string name) : nn.Module<Tensor, Tensor>(name)
{
    /// <inheritdoc />
    public override Tensor forward(Tensor x) => x.mean([1]);
}
