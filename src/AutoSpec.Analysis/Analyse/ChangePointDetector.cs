namespace AutoSpec.Analyse;

/// <summary>
/// Change points of a trajectory by penalised segmentation: PELT (Killick, Fearnhead and Eckley 2012) with segments
/// that are straight lines (a phase is where a metric falls, rises or stays at its own rate; "σ₁ stops falling" is a
/// change of slope). Cost of a segment = residual sum of squares of its least-squares line / σ̂², with σ̂ the robust
/// noise scale from the median absolute deviation of second differences; penalty per extra segment
/// = <see cref="PenaltyFactor"/> · ln n, a BIC with 3 parameters (intercept, slope, location) per segment.
/// </summary>
/// <remarks>
/// Written by hand: no maintained .NET library does penalised change-point segmentation. Prefix sums make each
/// segment cost O(1); PELT's pruning keeps the search near linear in n.
/// </remarks>
public sealed class ChangePointDetector
{
    /// <summary>Multiplier of ln n in the penalty (3 = BIC for a line plus its location).</summary>
    public double PenaltyFactor { get; init; } = 3.0;

    /// <summary>Fewest points in a segment (at least 3: a line through 2 points has no residual).</summary>
    public int MinSegment { get; init; } = 5;

    /// <summary>
    /// Indices (0-based, ascending) where a new segment starts; empty when one line explains the series.
    /// Non-finite values are not allowed (drop them before).
    /// </summary>
    public IReadOnlyList<int> Detect(IReadOnlyList<double> y)
    {
        int n = y.Count;
        int m = Math.Max(3, MinSegment);
        if (n < 2 * m)
        {
            return [];
        }
        double sigma = NoiseScale(y);
        double scale = 1 / (sigma * sigma);
        var prefix = new Prefix(y);
        double beta = PenaltyFactor * Math.Log(n);
        var f = new double[n + 1];
        var last = new int[n + 1];
        f[0] = -beta;
        var candidates = new List<int> { 0 };
        for (int t = 1; t <= n; t++)
        {
            if (t < m)
            {
                f[t] = double.PositiveInfinity;
                continue;
            }
            double best = double.PositiveInfinity;
            int arg = 0;
            foreach (int tau in candidates)
            {
                if (t - tau < m || double.IsPositiveInfinity(f[tau]))
                {
                    continue;
                }
                double v = f[tau] + prefix.Cost(tau, t) * scale + beta;
                if (v < best)
                {
                    best = v;
                    arg = tau;
                }
            }
            f[t] = best;
            last[t] = arg;
            // PELT pruning: a start that cannot beat the optimum now never will (the cost is superadditive).
            candidates.RemoveAll(tau => t - tau >= m && f[tau] + prefix.Cost(tau, t) * scale > f[t]);
            candidates.Add(t);
        }
        var points = new List<int>();
        for (int t = last[n]; t > 0; t = last[t])
        {
            points.Add(t);
        }
        points.Reverse();
        return points;
    }

    /// <summary>
    /// σ̂ = 1.4826 · MAD(second differences) / √6 (a second difference of white noise has variance 6σ²; lines and
    /// slow curves vanish in it), floored so that a noise-free series still has a finite cost.
    /// </summary>
    internal static double NoiseScale(IReadOnlyList<double> y)
    {
        var d = new double[y.Count - 2];
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = y[i] - 2 * y[i + 1] + y[i + 2];
        }
        double median = MathNet.Numerics.Statistics.ArrayStatistics.MedianInplace((double[])d.Clone());
        var deviations = d.Select(v => Math.Abs(v - median)).ToArray();
        double mad = MathNet.Numerics.Statistics.ArrayStatistics.MedianInplace(deviations);
        double sigma = 1.4826 * mad / Math.Sqrt(6);
        double range = y.Max() - y.Min();
        return Math.Max(sigma, 1e-9 * Math.Max(range, 1e-300));
    }

    /// <summary>Prefix sums giving the residual sum of squares of a least-squares line over y[a..b) in O(1).</summary>
    private sealed class Prefix
    {
        private readonly double[] _s1, _sx, _sxx, _sy, _sxy, _syy;

        public Prefix(IReadOnlyList<double> y)
        {
            int n = y.Count;
            _s1 = new double[n + 1];
            _sx = new double[n + 1];
            _sxx = new double[n + 1];
            _sy = new double[n + 1];
            _sxy = new double[n + 1];
            _syy = new double[n + 1];
            for (int i = 0; i < n; i++)
            {
                double x = i, v = y[i];
                _s1[i + 1] = _s1[i] + 1;
                _sx[i + 1] = _sx[i] + x;
                _sxx[i + 1] = _sxx[i] + x * x;
                _sy[i + 1] = _sy[i] + v;
                _sxy[i + 1] = _sxy[i] + x * v;
                _syy[i + 1] = _syy[i] + v * v;
            }
        }

        public double Cost(int a, int b)
        {
            double n = _s1[b] - _s1[a];
            double sx = _sx[b] - _sx[a], sy = _sy[b] - _sy[a];
            double cxx = _sxx[b] - _sxx[a] - sx * sx / n;
            double cxy = _sxy[b] - _sxy[a] - sx * sy / n;
            double cyy = _syy[b] - _syy[a] - sy * sy / n;
            double rss = cxx > 0 ? cyy - cxy * cxy / cxx : cyy;
            return Math.Max(rss, 0);
        }
    }
}
