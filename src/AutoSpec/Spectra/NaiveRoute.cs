using AutoSpec.Capture;
using AutoSpec.Partition;
using static TorchSharp.torch;

namespace AutoSpec.Spectra;

/// <summary>
/// The reference route of the original research code: zero every row outside the group, form the full p×q
/// gradient of the masked batch and take a full SVD (with singular vectors), here in the working precision. Exact but
/// slow; kept as
/// the baseline the benchmarks compare against and as a cross-check.
/// </summary>
internal static class NaiveRoute
{
    public static GroupSpectra Compute(LayerFactors f, GroupRows g, SpectrumQuantities q, ScalarType working)
    {
        using var scope = NewDisposeScope();
        // In the working precision (the research code works in the factors' float32): in float64 every route, this
        // one too, agrees with an explicit float64 SVD, and the benchmarks compare like with like.
        var mask = zeros(f.Rows, 1, working);
        using (var index = tensor(g.Rows, ScalarType.Int64))
        {
            mask.index_fill_(0, index, HeldScalars.One);
        }
        var inputs = f.Inputs.to_type(working);
        var adjoints = f.Adjoints.to_type(working);
        var am = inputs * mask;
        var dm = adjoints * mask;
        long rows = g.RowCount;
        return new GroupSpectra(
            g,
            SpectrumRoute.Naive,
            q.HasFlag(SpectrumQuantities.Grad) ? FullSvd(am.t().mm(adjoints), Math.Min(rows, Math.Min(f.P, f.Q))) : null,
            q.HasFlag(SpectrumQuantities.Act) ? FullSvd(am, Math.Min(rows, f.P)) : null,
            q.HasFlag(SpectrumQuantities.Delta) ? FullSvd(dm, Math.Min(rows, f.Q)) : null);
    }

    private static double[] FullSvd(Tensor m, long keep) => SingularValues.FromSigma(linalg.svd(m, fullMatrices: true).Item2, keep);
}
