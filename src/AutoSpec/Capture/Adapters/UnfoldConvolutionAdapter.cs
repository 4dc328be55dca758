using AutoSpec.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoSpec.Capture.Adapters;

/// <summary>
/// <see cref="UnfoldConvolution"/>: watched at its field product, whose input is already the unfolded input
/// (N, L₁…L_d, C_in·k), so A is a reshape of what the forward pass formed and Δ the output gradient with channels
/// last. weight reshaped to (C_out, C_in·k) = Δᵀ A.
/// </summary>
internal sealed class UnfoldConvolutionAdapter : ILayerAdapter
{
    public string Kind(nn.Module module) => $"conv{((UnfoldConvolution)module).Kernel.Length}d";

    public bool Handles(nn.Module module) => module is UnfoldConvolution;

    public void Validate(string name, nn.Module module)
    {
    }

    public Parameter Weight(nn.Module module) => ((UnfoldConvolution)module).weight;

    public nn.Module<Tensor, Tensor> Observed(nn.Module<Tensor, Tensor> module) => ((UnfoldConvolution)module).Product;

    public (Tensor A, Tensor Delta) Factors(nn.Module module, Tensor input, Tensor outputGrad)
    {
        var conv = (UnfoldConvolution)module;
        return (input.reshape(-1, input.shape[^1]), outputGrad.reshape(-1, conv.OutChannels));
    }
}
