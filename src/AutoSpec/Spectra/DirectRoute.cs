using AutoSpec.Capture;
using AutoSpec.Partition;
using static TorchSharp.torch;

namespace AutoSpec.Spectra;

/// <summary>
/// Direct route: form G_g = A_gᵀ Δ_g (p×q) from the group's rows only and take its singular values; A_g and Δ_g
/// directly, or for tall ones (more rows than columns) from the eigenvalues of their small Gram matrix XᵀX; all in
/// the working precision. Cheapest when the group has at least min(p, q) rows.
/// </summary>
internal static class DirectRoute
{
    public static GroupSpectra Compute(LayerFactors f, GroupRows g, SpectrumQuantities q, ScalarType working)
    {
        using var scope = NewDisposeScope();
        // The working precision from the group's rows on (in float64 every route agrees with an explicit float64 SVD).
        var (rowsA, rowsD) = RowSelection.Select(f, g);
        var a = rowsA.to_type(working);
        var d = rowsD.to_type(working);
        long rows = g.RowCount;
        return new GroupSpectra(
            g,
            SpectrumRoute.Direct,
            q.HasFlag(SpectrumQuantities.Grad)
                ? SingularValues.FromSigma(linalg.svdvals(a.t().mm(d)), Math.Min(rows, Math.Min(f.P, f.Q)))
                : null,
            q.HasFlag(SpectrumQuantities.Act) ? FactorSpectrum(a) : null,
            q.HasFlag(SpectrumQuantities.Delta) ? FactorSpectrum(d) : null);
    }

    private static double[] FactorSpectrum(Tensor x)
    {
        long rows = x.shape[0], cols = x.shape[1];
        if (rows <= cols)
        {
            return SingularValues.FromSigma(linalg.svdvals(x), rows);
        }
        using var scope = NewDisposeScope();
        return SingularValues.FromSquared(linalg.eigvalsh(x.t().mm(x)), cols);
    }
}
