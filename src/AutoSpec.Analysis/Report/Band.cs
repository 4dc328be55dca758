using MathNet.Numerics.Statistics;

namespace AutoSpec.Report;

/// <summary>Median and central 95% band across runs of trajectories that share their steps (or epochs).</summary>
/// <param name="X">Steps (or epochs) where at least one run has a value.</param>
/// <param name="Median">Median across runs.</param>
/// <param name="Low">2.5th percentile across runs.</param>
/// <param name="High">97.5th percentile across runs.</param>
internal sealed record Band(double[] X, double[] Median, double[] Low, double[] High)
{
    /// <summary>Aligns the runs' points by x and takes quantiles (R7, as numpy) across runs at each x.</summary>
    public static Band Of(IEnumerable<(long[] X, double[] Y)> runs)
    {
        var byX = new SortedDictionary<long, List<double>>();
        foreach (var (xs, ys) in runs)
        {
            for (int i = 0; i < xs.Length; i++)
            {
                if (!byX.TryGetValue(xs[i], out var list))
                {
                    byX[xs[i]] = list = [];
                }
                list.Add(ys[i]);
            }
        }
        var x = byX.Keys.Select(k => (double)k).ToArray();
        double Q(List<double> v, double tau) => Statistics.QuantileCustom(v.ToArray(), tau, QuantileDefinition.R7);
        return new Band(x, byX.Values.Select(v => Q(v, 0.5)).ToArray(), byX.Values.Select(v => Q(v, 0.025)).ToArray(),
            byX.Values.Select(v => Q(v, 0.975)).ToArray());
    }
}
