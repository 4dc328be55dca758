namespace AutoSpec.Data;

/// <summary>
/// Options of <see cref="GaussianMixtureGenerator.Generate"/>. The defaults give 1200 samples of 32 features, two
/// balanced classes, two equal groups "A" and "B", and a mean shift of 1.0 on the first 8 features of group "B"'s
/// class 1. Options are validated by <see cref="GaussianMixtureGenerator.Generate"/>, which throws
/// <see cref="InvalidInputException"/> naming the offending option.
/// </summary>
/// <remarks>
/// Record equality compares <see cref="Groups"/> and <see cref="GroupFractions"/> by reference, not by content.
/// </remarks>
public sealed record GaussianMixtureOptions
{
    /// <summary>Number of samples (rows). Default 1200; at least 2 × <see cref="Classes"/>.</summary>
    public int Samples { get; init; } = 1200;

    /// <summary>Number of features per sample. Default 32; at least <see cref="Classes"/>.</summary>
    public int Features { get; init; } = 32;

    /// <summary>Number of classes. Default 2; at least 2.</summary>
    public int Classes { get; init; } = 2;

    /// <summary>Group names (distinct, non-empty). Default ["A", "B"].</summary>
    public IReadOnlyList<string> Groups { get; init; } = ["A", "B"];

    /// <summary>
    /// Fraction of samples per group, one per entry of <see cref="Groups"/>, each positive, summing to 1 (±1e-9).
    /// Default null: equal fractions.
    /// </summary>
    public IReadOnlyList<double>? GroupFractions { get; init; }

    /// <summary>Euclidean distance between any two class means. Default 1.5; finite and ≥ 0.</summary>
    public double Separation { get; init; } = 1.5;

    /// <summary>The planted group-specific effect. Default <see cref="PlantedEffect.MeanShift"/>.</summary>
    public PlantedEffect Effect { get; init; } = PlantedEffect.MeanShift;

    /// <summary>
    /// Size of the effect: the per-feature mean shift, or the standard deviation of the extra noise. Default 1.0;
    /// finite and ≥ 0.
    /// </summary>
    public double EffectSize { get; init; } = 1.0;

    /// <summary>
    /// The effect touches features 0 … EffectFeatures-1. Default 8; between 1 and <see cref="Features"/> when
    /// <see cref="Effect"/> is not <see cref="PlantedEffect.None"/> (ignored otherwise).
    /// </summary>
    public int EffectFeatures { get; init; } = 8;

    /// <summary>
    /// Index into <see cref="Groups"/> of the group carrying the effect. Default 1 (group "B"). Must be a valid index
    /// when <see cref="Effect"/> is not <see cref="PlantedEffect.None"/> (ignored otherwise).
    /// </summary>
    public int EffectGroup { get; init; } = 1;

    /// <summary>Seed of the <see cref="System.Random"/> that drives every random choice. Default 0.</summary>
    public int Seed { get; init; }
}
