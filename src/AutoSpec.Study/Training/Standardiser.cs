using AutoSpec.Data;

namespace AutoSpec.Training;

/// <summary>
/// z-scoring with means and standard deviations fitted on training samples only, so validation samples never leak
/// into the preprocessing. Fit once per fold on that fold's training indices, then transform all samples.
/// </summary>
public sealed class Standardiser
{
    private readonly int _featureCount;
    private readonly int _perStatistic;
    private readonly double[] _mean;
    private readonly double[] _sd;

    private Standardiser(StandardiseScope scope, int featureCount, int perStatistic, double[] mean, double[] sd)
    {
        Scope = scope;
        _featureCount = featureCount;
        _perStatistic = perStatistic;
        _mean = mean;
        _sd = sd;
    }

    /// <summary>How values were pooled.</summary>
    public StandardiseScope Scope { get; }

    /// <summary>Training means: one per feature, per channel, or one.</summary>
    public IReadOnlyList<double> Mean => _mean;

    /// <summary>Training standard deviations (population); a constant gets 1, so it is centred, not divided by 0.</summary>
    public IReadOnlyList<double> StandardDeviation => _sd;

    /// <summary>Fits on the samples <paramref name="trainSamples"/> of <paramref name="data"/>.</summary>
    public static Standardiser Fit(Dataset data, IReadOnlyList<int> trainSamples, StandardiseScope scope = StandardiseScope.PerFeature)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(trainSamples);
        if (trainSamples.Count == 0)
        {
            throw new InvalidInputException("cannot fit the standardisation: the training split is empty.");
        }
        var f = data.FeatureCount;
        var perStatistic = scope switch
        {
            StandardiseScope.PerFeature => 1,
            StandardiseScope.PerChannel => f / data.SampleShape[0],
            _ => f,
        };
        var statistics = f / perStatistic;
        var sum = new double[statistics];
        var sumSq = new double[statistics];
        foreach (var i in trainSamples)
        {
            var row = data.Features.AsSpan(i * f, f);
            for (var j = 0; j < f; j++)
            {
                double v = row[j];
                sum[j / perStatistic] += v;
                sumSq[j / perStatistic] += v * v;
            }
        }
        var n = (double)trainSamples.Count * perStatistic;
        var mean = new double[statistics];
        var sd = new double[statistics];
        for (var s = 0; s < statistics; s++)
        {
            mean[s] = sum[s] / n;
            var variance = Math.Max(0, sumSq[s] / n - mean[s] * mean[s]);
            sd[s] = variance > 1e-24 ? Math.Sqrt(variance) : 1.0;
        }
        return new Standardiser(scope, f, perStatistic, mean, sd);
    }

    /// <summary>z-scores every sample of <paramref name="features"/> (sample-major, same feature count) into a new array.</summary>
    public float[] Transform(float[] features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Length % _featureCount != 0)
        {
            throw new ArgumentException("features length is not a multiple of the fitted feature count", nameof(features));
        }
        var result = new float[features.Length];
        for (long k = 0; k < features.Length; k++)
        {
            var s = (int)(k % _featureCount) / _perStatistic;
            result[k] = (float)((features[k] - _mean[s]) / _sd[s]);
        }
        return result;
    }
}
