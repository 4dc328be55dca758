using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoSpec.Capture.Adapters;

/// <summary>Any module that implements <see cref="IFactoredLayer"/>: the module answers for itself.</summary>
internal sealed class FactoredLayerAdapter : ILayerAdapter
{
    public string Kind(nn.Module module) => ((IFactoredLayer)module).Kind;

    public bool Handles(nn.Module module) => module is IFactoredLayer;

    public void Validate(string name, nn.Module module)
    {
    }

    public Parameter Weight(nn.Module module) => ((IFactoredLayer)module).Weight;

    public nn.Module<Tensor, Tensor> Observed(nn.Module<Tensor, Tensor> module) => ((IFactoredLayer)module).Observed;

    public (Tensor A, Tensor Delta) Factors(nn.Module module, Tensor input, Tensor outputGrad) =>
        ((IFactoredLayer)module).Factors(input, outputGrad);
}
