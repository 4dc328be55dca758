using AutoSpec.Data;

namespace AutoSpec.Training;

/// <summary>
/// Fills the missing cells of a data set (<see cref="MissingValues.Cells"/>, policy
/// <see cref="MissingValuePolicy.Impute"/>) with each feature's mean over the training samples' values that are not
/// missing. Fitted per fold on the training indices only, like <see cref="Standardiser"/>, so that no validation value
/// reaches a training sample (nor a validation sample another's).
/// </summary>
public sealed class MissingValueImputer
{
    private readonly Dictionary<int, double> _means;

    private MissingValueImputer(Dictionary<int, double> means, IReadOnlyDictionary<string, double> byName)
    {
        _means = means;
        Means = byName;
    }

    /// <summary>The training mean of every feature that has missing cells, by feature name.</summary>
    public IReadOnlyDictionary<string, double> Means { get; }

    /// <summary>Fits on the samples <paramref name="trainSamples"/> of <paramref name="data"/>.</summary>
    /// <exception cref="InvalidInputException">A feature with missing cells has no value in the training samples.</exception>
    public static MissingValueImputer Fit(Dataset data, IReadOnlyList<int> trainSamples)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(trainSamples);
        var cells = data.Missing?.Cells ?? [];
        var f = data.FeatureCount;
        var missing = new HashSet<long>(cells);
        var features = cells.Select(c => (int)(c % f)).Distinct().Order().ToArray();
        var means = new Dictionary<int, double>();
        var byName = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var j in features)
        {
            double sum = 0;
            int count = 0;
            foreach (var i in trainSamples)
            {
                long cell = (long)i * f + j;
                if (!missing.Contains(cell))
                {
                    sum += data.Features[cell];
                    count++;
                }
            }
            if (count == 0)
            {
                throw new InvalidInputException(
                    $"{data.Source}: feature '{data.FeatureNames[j]}' is missing in all {trainSamples.Count} training samples, so there is no value to impute it from; exclude it (--exclude {data.FeatureNames[j]}) or drop the samples (--missing-policy drop).");
            }
            means[j] = sum / count;
            byName[data.FeatureNames[j]] = sum / count;
        }
        return new MissingValueImputer(means, byName);
    }

    /// <summary>A copy of <paramref name="data"/> with every missing cell set to its feature's training mean.</summary>
    public Dataset Apply(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var filled = (float[])data.Features.Clone();
        foreach (var cell in data.Missing?.Cells ?? [])
        {
            filled[cell] = (float)(_means.TryGetValue((int)(cell % data.FeatureCount), out var mean)
                ? mean
                : throw new ArgumentException("the data set has missing cells in a feature this imputer was not fitted on", nameof(data)));
        }
        return new Dataset(filled, data.FeatureCount, data.Labels, data.LabelNames, data.Groups, data.FeatureNames, data.SubjectIds,
            data.Source, data.SampleShape, data.Missing);
    }
}
