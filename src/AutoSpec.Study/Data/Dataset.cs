namespace AutoSpec.Data;

/// <summary>
/// Samples with an integer class label and one group value per sample, as training and the group split need it.
/// Each sample is a float32 array of <see cref="SampleShape"/> (a feature vector, components × time points, a
/// volume, …), stored flat and row-major one sample after another. Several samples may share a subject id
/// (sessions, windows): splits keep a subject's samples together.
/// </summary>
public sealed class Dataset
{
    /// <summary>Creates a dataset and checks that the arrays agree in size.</summary>
    public Dataset(
        float[] features,
        int featureCount,
        int[] labels,
        IReadOnlyList<string> labelNames,
        IReadOnlyList<string> groups,
        IReadOnlyList<string> featureNames,
        IReadOnlyList<string> subjectIds,
        string source,
        IReadOnlyList<int>? sampleShape = null,
        MissingValues? missing = null)
    {
        if (featureCount <= 0 || features.Length % featureCount != 0)
        {
            throw new ArgumentException("features length is not a multiple of featureCount");
        }
        SampleCount = features.Length / featureCount;
        if (labels.Length != SampleCount || groups.Count != SampleCount || subjectIds.Count != SampleCount)
        {
            throw new ArgumentException("labels, groups and subject ids need one entry per sample");
        }
        if (featureNames.Count != featureCount)
        {
            throw new ArgumentException("featureNames needs one entry per feature");
        }
        Features = features;
        FeatureCount = featureCount;
        Labels = labels;
        LabelNames = labelNames;
        Groups = groups;
        FeatureNames = featureNames;
        SubjectIds = subjectIds;
        Source = source;
        SampleShape = sampleShape ?? [featureCount];
        if (SampleShape.Aggregate(1L, (a, b) => a * b) != featureCount || SampleShape.Any(d => d <= 0))
        {
            throw new ArgumentException("sampleShape must multiply to featureCount");
        }
        if (missing is not null && missing.Cells.Any(c => c < 0 || c >= features.Length))
        {
            throw new ArgumentException("missing cells must index features", nameof(missing));
        }
        Missing = missing;
    }

    /// <summary>
    /// Missing values declared for the source and what was done with them (dropped samples, or cells to impute,
    /// which are NaN in <see cref="Features"/> until imputed); null when none were declared.
    /// </summary>
    public MissingValues? Missing { get; }

    /// <summary>Row-major sample × feature values.</summary>
    public float[] Features { get; }

    /// <summary>Number of samples (rows).</summary>
    public int SampleCount { get; }

    /// <summary>Shape of one sample: [features] for tables, [components, time points], [x, y, z], ….</summary>
    public IReadOnlyList<int> SampleShape { get; }

    /// <summary>Number of values per sample (the product of <see cref="SampleShape"/>).</summary>
    public int FeatureCount { get; }

    /// <summary>Class index per sample, in 0..LabelNames.Count-1.</summary>
    public int[] Labels { get; }

    /// <summary>The original label values, indexed by class index.</summary>
    public IReadOnlyList<string> LabelNames { get; }

    /// <summary>Group value per sample (diagnosis, site, sex, …) as text.</summary>
    public IReadOnlyList<string> Groups { get; }

    /// <summary>Feature (column) names.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Subject identifier per sample.</summary>
    public IReadOnlyList<string> SubjectIds { get; }

    /// <summary>Where the data came from (file path or generator description), for the manifest.</summary>
    public string Source { get; }
}
