using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoSpec.Capture;

/// <summary>
/// A module that tells the capture how its own weight gradient factors, so that it needs no registered adapter:
/// the module-side form of <see cref="ILayerAdapter"/>, for layer types written with introspection in mind
/// (AutoSpec.Layers' UnfoldConvolution). Modules built from Linear or convolution parts need neither.
/// </summary>
public interface IFactoredLayer
{
    /// <summary>Layer kind written to the output tables ("conv2d", …).</summary>
    string Kind { get; }

    /// <summary>The weight (owned by the module). Its first dimension is q; reshaped to q×p it has the layout of Δᵀ A.</summary>
    Parameter Weight { get; }

    /// <summary>
    /// The module whose forward call supplies the input and output handed to <see cref="Factors"/>: the layer
    /// itself, or an inner step of it that sees its factors more directly.
    /// </summary>
    nn.Module<Tensor, Tensor> Observed { get; }

    /// <summary>
    /// A (rows×p) and Δ (rows×q) of one forward call of <see cref="Observed"/>, rows sample by sample (each sample's
    /// rows contiguous, the same number per sample). New tensors in the current dispose scope.
    /// </summary>
    (Tensor A, Tensor Delta) Factors(Tensor input, Tensor outputGrad);
}
