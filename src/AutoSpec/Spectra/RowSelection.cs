using AutoSpec.Capture;
using AutoSpec.Partition;
using static TorchSharp.torch;

namespace AutoSpec.Spectra;

/// <summary>Picks a group's rows out of the factors (no copy for the whole batch).</summary>
internal static class RowSelection
{
    /// <summary>A_g and Δ_g as new handles in the current dispose scope.</summary>
    public static (Tensor A, Tensor Delta) Select(LayerFactors f, GroupRows g)
    {
        if (g.RowCount == f.Rows)
        {
            return (f.Inputs.alias(), f.Adjoints.alias());
        }
        using var index = tensor(g.Rows, ScalarType.Int64);
        return (f.Inputs.index_select(0, index), f.Adjoints.index_select(0, index));
    }
}
