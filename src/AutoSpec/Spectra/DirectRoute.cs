using AutoSpec.Capture;
using AutoSpec.Partition;
using static TorchSharp.torch;

namespace AutoSpec.Spectra;

/// <summary>
/// Direct route: form G_g = A_gᵀ Δ_g (p×q) from the group's rows only and take its singular values; A_g and Δ_g
/// directly, or for tall ones (more rows than columns) from the eigenvalues of their small float64 Gram matrix
/// XᵀX. Cheapest when the group has at least min(p, q) rows.
/// </summary>
internal static class DirectRoute
{
    public static GroupSpectra Compute(LayerFactors f, GroupRows g, SpectrumQuantities q)
    {
        using var scope = NewDisposeScope();
        var (a, d) = RowSelection.Select(f, g);
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
        var d = x.to_type(ScalarType.Float64);
        return SingularValues.FromSquared(linalg.eigvalsh(d.t().mm(d)), cols);
    }
}
