using static TorchSharp.torch;

namespace AutoSpec.Capture;

/// <summary>
/// The two thin factors of one layer's weight gradient for one step, G = Aᵀ Δ, with the sample each row belongs to.
/// Owns its tensors.
/// </summary>
public sealed class LayerFactors : IDisposable
{
    internal LayerFactors(string layer, string layerKind, Tensor inputs, Tensor adjoints, int[] rowSample)
    {
        Layer = layer;
        LayerKind = layerKind;
        Inputs = inputs;
        Adjoints = adjoints;
        RowSample = rowSample;
    }

    /// <summary>Layer name as in the model's named_modules.</summary>
    public string Layer { get; }

    /// <summary>Layer type, e.g. "linear".</summary>
    public string LayerKind { get; }

    /// <summary>A: one row per sample (or sample × time step), p columns.</summary>
    public Tensor Inputs { get; }

    /// <summary>Δ = dL/d(output): same rows as A, q columns.</summary>
    public Tensor Adjoints { get; }

    /// <summary>Batch sample index of every row of A and Δ.</summary>
    public int[] RowSample { get; }

    /// <summary>Number of rows n.</summary>
    public int Rows => RowSample.Length;

    /// <summary>Columns of A (layer fan-in).</summary>
    public long P => Inputs.shape[1];

    /// <summary>Columns of Δ (layer fan-out).</summary>
    public long Q => Adjoints.shape[1];

    /// <inheritdoc />
    public void Dispose()
    {
        Inputs.Dispose();
        Adjoints.Dispose();
    }
}
