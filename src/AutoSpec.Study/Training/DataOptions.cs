using AutoSpec.Data;

namespace AutoSpec.Training;

/// <summary>Where the training data comes from: the built-in Gaussian mixture, or files (see <see cref="DataSource"/>).</summary>
public sealed record DataOptions
{
    /// <summary>Built-in synthetic data (used when <see cref="Source"/> is null).</summary>
    public GaussianMixtureOptions Synthetic { get; init; } = new();

    /// <summary>Files to load (tables, arrays, images); null = synthetic data.</summary>
    public DataSource? Source { get; init; }

    /// <summary>How features are standardised (statistics of the training folds only).</summary>
    public StandardiseScope Standardise { get; init; } = StandardiseScope.PerFeature;
}
