using static TorchSharp.torch;

namespace AutoSpec.Spectra;

/// <summary>
/// σ(G_g) of a group from its row Gram blocks K_A[g,g] = A_gA_gᵀ and K_Δ[g,g] = Δ_gΔ_gᵀ (DESIGN.md, Gram route): the
/// one implementation behind <see cref="GramRoute"/>, <see cref="PlannedRoute"/> and <see cref="GramStep"/> (the
/// permutation test's eigen-based metrics), so that every place reads the same values off the same blocks.
/// </summary>
internal static class GramKernel
{
    /// <summary>
    /// A symmetric matrix whose eigenvalues are the non-zero eigenvalues of K_A K_Δ (= σ(G_g)²): Lᵀ K_Δ L for
    /// K_A = L Lᵀ (Cholesky, several times cheaper than an eigendecomposition), or with the roles swapped, or
    /// F = U S^½ from K_A's eigendecomposition when both blocks are singular (e.g. the all-zero first hidden state of
    /// a recurrent layer).
    /// </summary>
    /// <param name="ka">K_A[g,g], float64.</param>
    /// <param name="kd">K_Δ[g,g], float64.</param>
    public static Tensor SymmetricProduct(Tensor ka, Tensor kd)
    {
        foreach (var (factorOf, other) in new[] { (ka, kd), (kd, ka) })
        {
            var (l, info) = linalg.cholesky_ex(factorOf);
            if (info.item<int>() == 0)
            {
                return l.t().mm(other).mm(l);
            }
        }
        var (s, u) = linalg.eigh(ka);
        var f = u * s.clamp_min(HeldScalars.Zero).sqrt().unsqueeze(0);
        return f.t().mm(kd).mm(f);
    }

    /// <summary>σ(G_g), descending, at most <paramref name="keep"/> values (min(rows, p, q) are structurally non-zero).</summary>
    public static double[] SingularValues(Tensor ka, Tensor kd, long keep) =>
        Spectra.SingularValues.FromSquared(linalg.eigvalsh(SymmetricProduct(ka, kd)), keep);

    /// <summary>As <see cref="SingularValues(Tensor, Tensor, long)"/> for row-major n×n blocks held on the host.</summary>
    public static double[] SingularValues(double[] ka, double[] kd, int n, long keep)
    {
        using var scope = NewDisposeScope();
        return SingularValues(tensor(ka, [n, n]), tensor(kd, [n, n]), keep);
    }
}
