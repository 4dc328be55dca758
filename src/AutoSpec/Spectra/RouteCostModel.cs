namespace AutoSpec.Spectra;

/// <summary>
/// Estimated cost, in weighted floating-point operations, of the QR route for one layer and step, which
/// <see cref="SpectrumRoute.Auto"/> weighs against <see cref="PlannedRoute"/>'s plan (same units). Only the work the
/// requested quantities need is counted (with <c>--quantities grad</c> the extra small SVDs are not).
/// Matrix products are the unit; QR, SVD and eigen-solvers run far below peak and carry larger weights; float64
/// costs twice float32 (every step here is float64, the large QR included). The weights are rough (docs/PERFORMANCE.md has measured route times): any choice is exact,
/// only speed differs.
/// </summary>
internal static class RouteCostModel
{
    private const double QrWeight = 3;
    private const double SvdWeight = 6;
    private const double Float64Weight = 2;

    /// <summary>Cost of the QR route for a group of <paramref name="rows"/> rows and the requested quantities.</summary>
    public static double Qr(long rows, long p, long q, SpectrumQuantities quantities)
    {
        bool grad = quantities.HasFlag(SpectrumQuantities.Grad);
        double cost = 0;
        if (grad || quantities.HasFlag(SpectrumQuantities.Act))
        {
            cost += Float64Weight * QrWeight * QrFlops(p, rows);
        }
        if (grad || quantities.HasFlag(SpectrumQuantities.Delta))
        {
            cost += Float64Weight * QrWeight * QrFlops(q, rows);
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

    private static double QrFlops(long m, long n) => m >= n ? 2.0 * m * n * n : 2.0 * n * m * m;

    private static double SvdFlops(long m, long n)
    {
        double big = Math.Max(m, n), small = Math.Min(m, n);
        return 4.0 * big * small * small + 8.0 * small * small * small;
    }
}
