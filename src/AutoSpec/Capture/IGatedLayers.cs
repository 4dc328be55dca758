using static TorchSharp.torch;

namespace AutoSpec.Capture;

/// <summary>
/// A module whose weight layers stack several gates in their output rows (LSTM i/f/g/o, GRU r/z/n). With per-gate
/// spectra on, each gate's block of Δ columns is recorded as its own layer "NAME:gate" (same A, G = Aᵀ Δ[:, block]).
/// </summary>
public interface IGatedLayers
{
    /// <summary>The gated Linear layers and their gate names, in output-row order (equal blocks).</summary>
    IEnumerable<(nn.Module Layer, IReadOnlyList<string> Gates)> GatedLayers { get; }
}
