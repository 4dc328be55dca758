using static TorchSharp.torch;

namespace AutoSpec.Capture;

/// <summary>
/// A module in which one weight layer receives exactly the adjoint Δ of another, in another row order (an LSTM's or
/// RNN's hidden-to-hidden product adds into the same gate pre-activations as its input-to-hidden product). The
/// spectra of Δ, and its row Gram matrix, are then computed once for both.
/// </summary>
public interface ISharedAdjointLayers
{
    /// <summary>The pairs of layers that share Δ, the owner being captured before the sharer.</summary>
    IEnumerable<AdjointSharing> SharedAdjoints { get; }
}

/// <summary>One layer whose Δ rows are a known permutation of another layer's.</summary>
/// <param name="Owner">The layer whose Δ is the reference (captured first).</param>
/// <param name="Sharer">The layer whose Δ holds the owner's rows in another order.</param>
/// <param name="OwnerRows">
/// Given the batch samples N and the owner's rows per sample T: for every row of the sharer's factors, the row of
/// the owner's factors holding the same Δ.
/// </param>
public sealed record AdjointSharing(nn.Module Owner, nn.Module Sharer, Func<int, int, long[]> OwnerRows);
