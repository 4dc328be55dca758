using static TorchSharp.torch;

namespace AutoSpec.Capture;

/// <summary>
/// How one layer type maps to the thin factors of its weight gradient: the rows of A (what multiplies the weight)
/// and of Δ (the gradient of the loss with respect to the layer output), sample-major, so that
/// weight.grad (reshaped to q×p) = Δᵀ A. Adding a layer type means registering one adapter with
/// <see cref="LayerRegistry.Register"/> (or, for a module of one's own, implementing <see cref="IFactoredLayer"/>);
/// the capture core does not change.
/// </summary>
public interface ILayerAdapter
{
    /// <summary>Layer kind written to the output tables ("linear", "conv2d", …).</summary>
    string Kind(nn.Module module);

    /// <summary>Whether this adapter understands the module.</summary>
    bool Handles(nn.Module module);

    /// <summary>Refuses configurations the adapter cannot factor (message names the layer).</summary>
    /// <exception cref="InvalidInputException">The layer's configuration is not supported.</exception>
    void Validate(string name, nn.Module module);

    /// <summary>
    /// The layer's weight parameter (owned by the module: never dispose it). Its first dimension is q; reshaped to
    /// q×p it has the layout of Δᵀ A.
    /// </summary>
    TorchSharp.Modules.Parameter Weight(nn.Module module);

    /// <summary>
    /// The module whose forward call supplies the input and output handed to <see cref="Factors"/>: the layer
    /// itself, or an inner step of it that sees its factors more directly.
    /// </summary>
    nn.Module<Tensor, Tensor> Observed(nn.Module<Tensor, Tensor> module) => module;

    /// <summary>
    /// A (rows×p) and Δ (rows×q) of one forward call, rows ordered sample by sample (each sample's rows contiguous,
    /// the same number per sample). New tensors in the current dispose scope.
    /// </summary>
    (Tensor A, Tensor Delta) Factors(nn.Module module, Tensor input, Tensor outputGrad);
}
