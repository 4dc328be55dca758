using AutoSpec.Capture.Adapters;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoSpec.Capture;

/// <summary>
/// The registry of layer types AutoSpec can factor, and of weight-carrying layers it lets pass untouched.
/// Recurrent and attention layers are built from Linear parts (AutoSpec.Layers), so they need no adapter.
/// </summary>
public static class LayerAdapters
{
    private static readonly ILayerAdapter[] Adapters = [new LinearAdapter(), new ConvolutionAdapter(), new UnfoldConvolutionAdapter()];

    /// <summary>Names of the supported weight layers, for messages.</summary>
    public const string SupportedList =
        "Linear, Conv1d, Conv2d, Conv3d, and AutoSpec.Layers' UnfoldConvolution, LSTM, GRU, RNN, MultiheadSelfAttention and TransformerEncoderBlock (built from Linear)";

    /// <summary>The adapter of a module, or null when it has none.</summary>
    public static ILayerAdapter? Find(nn.Module module) => Adapters.FirstOrDefault(a => a.Handles(module));

    /// <summary>
    /// Layers whose weights are element-wise scales or look-up tables rather than products with the input
    /// (normalisations, PReLU, Embedding): not introspected, allowed in a model.
    /// </summary>
    public static bool IsPassThrough(nn.Module module) => module is LayerNorm or GroupNorm or PReLU or Embedding
        or InstanceNorm1d or InstanceNorm2d or InstanceNorm3d || IsBatchNorm(module);

    /// <summary>BatchNorm mixes the samples of a batch in training mode.</summary>
    public static bool IsBatchNorm(nn.Module module) => module is BatchNorm1d or BatchNorm2d or BatchNorm3d;
}
