namespace AutoSpec.Spectra;

/// <summary>
/// Estimated cost, in weighted floating-point operations, of each exact route for one layer and step, used by
/// <see cref="SpectrumRoute.Auto"/>. Only the work the requested quantities need is counted (with
/// <c>--quantities grad</c> the direct route's factor spectra and the QR route's extra small SVDs are not).
/// Matrix products are the unit; QR, SVD and eigen-solvers run far below peak and carry larger weights; float64
/// costs twice float32. The weights are rough (docs/PERFORMANCE.md has measured route times): any choice is exact,
/// only speed differs.
/// </summary>
public static class RouteCostModel
{
    private const double QrWeight = 3;
    private const double SvdWeight = 6;
    private const double Float64Weight = 2;

    /// <summary>Cost of the QR route for a group of <paramref name="rows"/> rows, all quantities.</summary>
    public static double Qr(long rows, long p, long q) => Qr(rows, p, q, SpectrumQuantities.All);

    /// <summary>Cost of the QR route for a group of <paramref name="rows"/> rows and the requested quantities.</summary>
    public static double Qr(long rows, long p, long q, SpectrumQuantities quantities)
    {
        bool grad = quantities.HasFlag(SpectrumQuantities.Grad);
        double cost = 0;
        if (grad || quantities.HasFlag(SpectrumQuantities.Act))
        {
            cost += QrWeight * QrFlops(p, rows);
        }
        if (grad || quantities.HasFlag(SpectrumQuantities.Delta))
        {
            cost += QrWeight * QrFlops(q, rows);
        }
        long ra = Math.Min(rows, p), rd = Math.Min(rows, q);
        if (grad)
        {
            cost += Float64Weight * SvdWeight * SvdFlops(ra, rd);
        }
        if (quantities.HasFlag(SpectrumQuantities.Act))
        {
            cost += Float64Weight * SvdWeight * SvdFlops(ra, rows);
        }
        if (quantities.HasFlag(SpectrumQuantities.Delta))
        {
            cost += Float64Weight * SvdWeight * SvdFlops(rd, rows);
        }
        return cost;
    }

    /// <summary>Cost of the direct route for a group of <paramref name="rows"/> rows, all quantities.</summary>
    public static double Direct(long rows, long p, long q) => Direct(rows, p, q, SpectrumQuantities.All);

    /// <summary>Cost of the direct route for a group of <paramref name="rows"/> rows and the requested quantities.</summary>
    public static double Direct(long rows, long p, long q, SpectrumQuantities quantities) =>
        (quantities.HasFlag(SpectrumQuantities.Grad) ? 2.0 * rows * p * q + SvdWeight * SvdFlops(p, q) : 0)
        + (quantities.HasFlag(SpectrumQuantities.Act) ? FactorSpectrum(rows, p) : 0)
        + (quantities.HasFlag(SpectrumQuantities.Delta) ? FactorSpectrum(rows, q) : 0);

    /// <summary>σ of an m×n factor: SVD when wide, eigenvalues of the n×n float64 Gram matrix when tall.</summary>
    private static double FactorSpectrum(long m, long n) =>
        m <= n ? SvdWeight * SvdFlops(m, n) : Float64Weight * (2.0 * m * n * n + SvdWeight * n * n * n);

    /// <summary>Cost of the Gram route for a whole layer: the two n×n Gram matrices plus per-group eigenproblems.</summary>
    public static double Gram(long batchRows, IEnumerable<long> groupRows, long p, long q) =>
        Gram(batchRows, groupRows, p, q, SpectrumQuantities.All);

    /// <summary>Cost of the Gram route for a whole layer and the requested quantities.</summary>
    public static double Gram(long batchRows, IEnumerable<long> groupRows, long p, long q, SpectrumQuantities quantities)
    {
        bool grad = quantities.HasFlag(SpectrumQuantities.Grad);
        bool needA = grad || quantities.HasFlag(SpectrumQuantities.Act);
        bool needD = grad || quantities.HasFlag(SpectrumQuantities.Delta);
        int problems = (grad ? 2 : 0) + (!grad && needA ? 1 : 0) + (quantities.HasFlag(SpectrumQuantities.Delta) ? 1 : 0);
        return Float64Weight * 2.0 * batchRows * batchRows * ((needA ? p : 0) + (needD ? q : 0))
            + groupRows.Sum(m => Float64Weight * SvdWeight * 2.0 * problems * m * m * m);
    }

    /// <summary>The cheaper of QR and direct for one group (all quantities).</summary>
    public static SpectrumRoute CheaperPerGroup(long rows, long p, long q) =>
        CheaperPerGroup(rows, p, q, SpectrumQuantities.All);

    /// <summary>The cheaper of QR and direct for one group and the requested quantities.</summary>
    public static SpectrumRoute CheaperPerGroup(long rows, long p, long q, SpectrumQuantities quantities) =>
        Qr(rows, p, q, quantities) <= Direct(rows, p, q, quantities) ? SpectrumRoute.Qr : SpectrumRoute.Direct;

    private static double QrFlops(long m, long n) => m >= n ? 2.0 * m * n * n : 2.0 * n * m * m;

    private static double SvdFlops(long m, long n)
    {
        double big = Math.Max(m, n), small = Math.Min(m, n);
        return 4.0 * big * small * small + 8.0 * small * small * small;
    }
}
