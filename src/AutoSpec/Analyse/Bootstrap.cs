using MathNet.Numerics.Statistics;

namespace AutoSpec.Analyse;

/// <summary>
/// Percentile bootstrap confidence intervals of a statistic, seeded so that the same input gives the same interval
/// (scipy.stats.bootstrap with method="percentile" computes the same quantity; quantiles by numpy's linear rule,
/// MathNet's R7). Resamples whose statistic is undefined (null) are skipped; fewer than half defined ⇒ no interval.
/// </summary>
/// <remarks>Written by hand: MathNet.Numerics has no bootstrap.</remarks>
public static class Bootstrap
{
    /// <summary>Default number of resamples.</summary>
    public const int DefaultResamples = 2000;

    /// <summary>Interval of a statistic of one sample (e.g. d_z of paired differences), resampling its values.</summary>
    public static ConfidenceInterval? OneSample(IReadOnlyList<double> values, Func<IReadOnlyList<double>, double?> statistic,
        double level = 0.95, int resamples = DefaultResamples, int seed = 0)
    {
        if (values.Count < 2)
        {
            return null;
        }
        var rng = new Random(seed);
        var buffer = new double[values.Count];
        var estimates = new List<double>(resamples);
        for (int b = 0; b < resamples; b++)
        {
            for (int i = 0; i < buffer.Length; i++)
            {
                buffer[i] = values[rng.Next(values.Count)];
            }
            if (statistic(buffer) is double s && double.IsFinite(s))
            {
                estimates.Add(s);
            }
        }
        return Interval(estimates, resamples, level);
    }

    /// <summary>Interval of a statistic of two independent samples, resampling each sample separately.</summary>
    public static ConfidenceInterval? TwoSample(IReadOnlyList<double> x, IReadOnlyList<double> y,
        Func<IReadOnlyList<double>, IReadOnlyList<double>, double?> statistic, double level = 0.95,
        int resamples = DefaultResamples, int seed = 0)
    {
        if (x.Count < 2 || y.Count < 2)
        {
            return null;
        }
        var rng = new Random(seed);
        var bx = new double[x.Count];
        var by = new double[y.Count];
        var estimates = new List<double>(resamples);
        for (int b = 0; b < resamples; b++)
        {
            for (int i = 0; i < bx.Length; i++)
            {
                bx[i] = x[rng.Next(x.Count)];
            }
            for (int i = 0; i < by.Length; i++)
            {
                by[i] = y[rng.Next(y.Count)];
            }
            if (statistic(bx, by) is double s && double.IsFinite(s))
            {
                estimates.Add(s);
            }
        }
        return Interval(estimates, resamples, level);
    }

    private static ConfidenceInterval? Interval(List<double> estimates, int resamples, double level)
    {
        if (estimates.Count < resamples / 2)
        {
            return null;
        }
        var data = estimates.ToArray();
        double alpha = (1 - level) / 2;
        return new ConfidenceInterval(
            Statistics.QuantileCustom(data, alpha, QuantileDefinition.R7),
            Statistics.QuantileCustom(data, 1 - alpha, QuantileDefinition.R7),
            level);
    }
}
