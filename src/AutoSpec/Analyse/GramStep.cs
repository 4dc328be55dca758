using MathNet.Numerics.LinearAlgebra;

namespace AutoSpec.Analyse;

/// <summary>
/// One layer at one step, reduced to what a relabelling needs (DESIGN.md, Gram route): K_A = AAᵀ and K_Δ = ΔΔᵀ in
/// float64, computed once, and which subject each row belongs to. The spectrum of any group's gradient
/// G_g = A_gᵀΔ_g is then σ(G_g)² = eig(K_A[g,g]·K_Δ[g,g]): a relabelling only re-slices the cached blocks.
/// </summary>
public sealed class GramStep
{
    private readonly Matrix<double> _ka;
    private readonly Matrix<double> _kd;
    private readonly int[] _rowSubject;
    private readonly int _rank;

    /// <summary>Caches the Gram matrices of the factors A (rows×p) and Δ (rows×q).</summary>
    /// <param name="a">Layer inputs, one row per row of the batch.</param>
    /// <param name="delta">Adjoints dL/d(output), same rows.</param>
    /// <param name="rowSubject">Subject (0-based, shared by all steps of a window) of every row.</param>
    public GramStep(double[,] a, double[,] delta, int[] rowSubject)
    {
        if (a.GetLength(0) != delta.GetLength(0) || a.GetLength(0) != rowSubject.Length)
        {
            throw new ArgumentException("A, Δ and the row → subject map must have the same rows");
        }
        var ma = Matrix<double>.Build.DenseOfArray(a);
        var md = Matrix<double>.Build.DenseOfArray(delta);
        _ka = ma * ma.Transpose();
        _kd = md * md.Transpose();
        _rowSubject = rowSubject;
        _rank = Math.Min(a.GetLength(1), delta.GetLength(1));
        Subjects = rowSubject.Distinct().Order().ToArray();
    }

    /// <summary>Subjects with rows in this step (the batch).</summary>
    public int[] Subjects { get; }

    /// <summary>
    /// Singular values (descending) of the gradient of the rows whose subject is in the group, and the number of
    /// the group's subjects in this step; empty when the group has no row here.
    /// </summary>
    public (double[] Sigma, int Subjects) Group(IReadOnlyList<bool> subjectInGroup)
    {
        var rows = Enumerable.Range(0, _rowSubject.Length).Where(r => subjectInGroup[_rowSubject[r]]).ToArray();
        int subjects = rows.Select(r => _rowSubject[r]).Distinct().Count();
        if (rows.Length == 0)
        {
            return ([], 0);
        }
        var ka = Block(_ka, rows);
        var kd = Block(_kd, rows);
        // Symmetric form: with S = K_Δ^{1/2}, eig(K_A K_Δ) = eig(S K_A S), a symmetric PSD matrix.
        var evd = kd.Evd(Symmetricity.Symmetric);
        var root = evd.EigenVectors * Matrix<double>.Build.DiagonalOfDiagonalArray(
            evd.EigenValues.Select(l => Math.Sqrt(Math.Max(l.Real, 0))).ToArray()) * evd.EigenVectors.Transpose();
        var m = root * ka * root;
        m = (m + m.Transpose()) / 2;
        var values = m.Evd(Symmetricity.Symmetric).EigenValues.Select(l => Math.Sqrt(Math.Max(l.Real, 0)))
            .OrderDescending().Take(Math.Min(rows.Length, _rank)).ToArray();
        // Only min(rows, p, q) values are structurally non-zero (as in spectra.parquet); the rest would be square
        // roots of rounding noise and would bias rank-type metrics.
        return (values, subjects);
    }

    private static Matrix<double> Block(Matrix<double> k, int[] rows)
    {
        var block = Matrix<double>.Build.Dense(rows.Length, rows.Length);
        for (int i = 0; i < rows.Length; i++)
        {
            for (int j = 0; j < rows.Length; j++)
            {
                block[i, j] = k[rows[i], rows[j]];
            }
        }
        return block;
    }
}
