using AutoSpec.Capture;
using AutoSpec.Partition;
using static TorchSharp.torch;

namespace AutoSpec.Spectra;

/// <summary>
/// QR route: A_gᵀ = Q₁R₁ and Δ_gᵀ = Q₂R₂ (thin), so σ(G_g) = σ(R₁R₂ᵀ), σ(A_g) = σ(R₁), σ(Δ_g) = σ(R₂).
/// The QR runs in the factors' precision; the small SVDs in float64.
/// </summary>
internal static class QrRoute
{
    public static GroupSpectra Compute(LayerFactors f, GroupRows g, SpectrumQuantities q)
    {
        using var scope = NewDisposeScope();
        var (a, d) = RowSelection.Select(f, g);
        bool needA = (q & (SpectrumQuantities.Grad | SpectrumQuantities.Act)) != 0;
        bool needD = (q & (SpectrumQuantities.Grad | SpectrumQuantities.Delta)) != 0;
        var r1 = needA ? linalg.qr(a.t(), linalg.QRMode.Reduced).Item2.to_type(ScalarType.Float64) : null;
        var r2 = needD ? linalg.qr(d.t(), linalg.QRMode.Reduced).Item2.to_type(ScalarType.Float64) : null;
        long rows = g.RowCount;
        return new GroupSpectra(
            g,
            SpectrumRoute.Qr,
            q.HasFlag(SpectrumQuantities.Grad)
                ? SingularValues.FromSigma(linalg.svdvals(r1!.mm(r2!.t())), Math.Min(rows, Math.Min(f.P, f.Q)))
                : null,
            q.HasFlag(SpectrumQuantities.Act) ? SingularValues.FromSigma(linalg.svdvals(r1!), Math.Min(rows, f.P)) : null,
            q.HasFlag(SpectrumQuantities.Delta) ? SingularValues.FromSigma(linalg.svdvals(r2!), Math.Min(rows, f.Q)) : null);
    }
}
