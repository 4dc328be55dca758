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

    /// <summary>
    /// The layer (of the same step, captured before this one) whose Δ holds this layer's Δ rows in another order, or
    /// null. Declared by the capture (<see cref="ISharedAdjointLayers"/>); the spectra check it before relying on it.
    /// </summary>
    public string? SharesAdjointsWith { get; private set; }

    /// <summary>With <see cref="SharesAdjointsWith"/>: for every row here, the row of that layer's Δ equal to it.</summary>
    public long[]? OwnerRows { get; private set; }

    /// <summary>Declares that row r of this layer's Δ is row <paramref name="ownerRows"/>[r] of <paramref name="owner"/>'s.</summary>
    internal void DeclareSharedAdjoints(string owner, long[] ownerRows)
    {
        if (ownerRows.Length != Rows)
        {
            throw new ArgumentException($"layer '{Layer}' has {Rows} rows, the row map {ownerRows.Length}", nameof(ownerRows));
        }
        SharesAdjointsWith = owner;
        OwnerRows = ownerRows;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Inputs.Dispose();
        Adjoints.Dispose();
    }
}
