namespace AutoSpec.Spectra;

/// <summary>
/// Estimated cost, in weighted floating-point operations, of each exact route for one layer and step, used by
/// <see cref="SpectrumRoute.Auto"/>. Matrix products are the unit; QR, SVD and eigen-solvers run far below peak
/// and carry larger weights; float64 costs twice float32. The weights are rough: any choice is exact, only speed
/// differs.
/// </summary>
public static class RouteCostModel
{
    private const double QrWeight = 3;
    private const double SvdWeight = 6;
    private const double Float64Weight = 2;

    /// <summary>Cost of the QR route for a group of <paramref name="rows"/> rows.</summary>
    public static double Qr(long rows, long p, long q) =>
        QrWeight * (QrFlops(p, rows) + QrFlops(q, rows)) + Float64Weight * SvdWeight * SvdFlops(Math.Min(rows, p), Math.Min(rows, q));

    /// <summary>Cost of the direct route for a group of <paramref name="rows"/> rows.</summary>
    public static double Direct(long rows, long p, long q) =>
        2.0 * rows * p * q + SvdWeight * SvdFlops(p, q) + FactorSpectrum(rows, p) + FactorSpectrum(rows, q);

    /// <summary>σ of an m×n factor: SVD when wide, eigenvalues of the n×n float64 Gram matrix when tall.</summary>
    private static double FactorSpectrum(long m, long n) =>
        m <= n ? SvdWeight * SvdFlops(m, n) : Float64Weight * (2.0 * m * n * n + SvdWeight * n * n * n);

    /// <summary>Cost of the Gram route for a whole layer: the two n×n Gram matrices plus per-group eigenproblems.</summary>
    public static double Gram(long batchRows, IEnumerable<long> groupRows, long p, long q) =>
        Float64Weight * 2.0 * batchRows * batchRows * (p + q)
        + groupRows.Sum(m => Float64Weight * SvdWeight * 4.0 * m * m * m);

    /// <summary>The cheaper of QR and direct for one group.</summary>
    public static SpectrumRoute CheaperPerGroup(long rows, long p, long q) =>
        Qr(rows, p, q) <= Direct(rows, p, q) ? SpectrumRoute.Qr : SpectrumRoute.Direct;

    private static double QrFlops(long m, long n) => m >= n ? 2.0 * m * n * n : 2.0 * n * m * m;

    private static double SvdFlops(long m, long n)
    {
        double big = Math.Max(m, n), small = Math.Min(m, n);
        return 4.0 * big * small * small + 8.0 * small * small * small;
    }
}
