using AutoSpec.Capture;
using AutoSpec.Partition;
using static TorchSharp.torch;

namespace AutoSpec.Spectra;

/// <summary>
/// Gram route: K_A = AAᵀ and K_Δ = ΔΔᵀ (n×n, in the working precision; float64 by default because squaring halves the
/// digits) once per layer and step.
/// For group g: σ(G_g)² are the non-zero eigenvalues of K_A[g,g] K_Δ[g,g] (<see cref="GramKernel"/>),
/// σ(A_g)² = eig(K_A[g,g]), σ(Δ_g)² = eig(K_Δ[g,g]).
/// Relabelling the groups only re-slices the cached blocks.
/// </summary>
internal sealed class GramRoute(LayerFactors factors, ScalarType working) : IDisposable
{
    private Tensor? _ka;
    private Tensor? _kd;

    private Tensor KA => _ka ??= Gram(factors.Inputs, working);

    private Tensor KD => _kd ??= Gram(factors.Adjoints, working);

    private static Tensor Gram(Tensor m, ScalarType working)
    {
        using var scope = NewDisposeScope();
        var d = m.to_type(working);
        return d.mm(d.t()).DetachFromDisposeScope();
    }

    public GroupSpectra Compute(GroupRows g, SpectrumQuantities q)
    {
        using var scope = NewDisposeScope();
        bool needA = (q & (SpectrumQuantities.Grad | SpectrumQuantities.Act)) != 0;
        bool needD = (q & (SpectrumQuantities.Grad | SpectrumQuantities.Delta)) != 0;
        var index = g.RowCount == factors.Rows ? null : tensor(g.Rows, ScalarType.Int64);
        var ka = needA ? Block(KA, index) : null;
        var kd = needD ? Block(KD, index) : null;
        long rows = g.RowCount;
        double[]? grad = null, act = null;
        if (q.HasFlag(SpectrumQuantities.Grad))
        {
            grad = GramKernel.SingularValues(ka!, kd!, Math.Min(rows, Math.Min(factors.P, factors.Q)));
        }
        if (q.HasFlag(SpectrumQuantities.Act))
        {
            act = SingularValues.FromSquared(linalg.eigvalsh(ka!), Math.Min(rows, factors.P));
        }
        var delta = q.HasFlag(SpectrumQuantities.Delta)
            ? SingularValues.FromSquared(linalg.eigvalsh(kd!), Math.Min(rows, factors.Q))
            : null;
        return new GroupSpectra(g, SpectrumRoute.Gram, grad, act, delta);
    }

    private static Tensor Block(Tensor k, Tensor? index) =>
        index is null ? k.alias() : k.index_select(0, index).index_select(1, index);

    public void Dispose()
    {
        _ka?.Dispose();
        _kd?.Dispose();
    }
}
