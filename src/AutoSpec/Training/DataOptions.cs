using AutoSpec.Data;

namespace AutoSpec.Training;

/// <summary>Where the training data comes from: the built-in Gaussian mixture, or a CSV/TSV table.</summary>
public sealed record DataOptions
{
    /// <summary>Built-in synthetic data (used when <see cref="Table"/> is null).</summary>
    public GaussianMixtureOptions Synthetic { get; init; } = new();

    /// <summary>A wide CSV/TSV table (one row per subject); null = synthetic data.</summary>
    public DelimitedTableOptions? Table { get; init; }
}
