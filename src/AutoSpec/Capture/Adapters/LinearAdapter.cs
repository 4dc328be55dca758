using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoSpec.Capture.Adapters;

/// <summary>
/// Linear: y = x Wᵀ + b on (N, h) or (N, …, h) input; one row per sample, or per sample and position (time step,
/// token) for sequence input.
/// </summary>
internal sealed class LinearAdapter : ILayerAdapter
{
    public string Kind(nn.Module module) => "linear";

    public bool Handles(nn.Module module) => module is Linear;

    public void Validate(string name, nn.Module module)
    {
    }

    public Parameter Weight(nn.Module module) => ((Linear)module).weight!;

    public (Tensor A, Tensor Delta) Factors(nn.Module module, Tensor input, Tensor outputGrad)
    {
        var linear = (Linear)module;
        return (input.reshape(-1, linear.in_features), outputGrad.reshape(-1, linear.out_features));
    }
}
