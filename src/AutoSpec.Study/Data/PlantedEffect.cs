namespace AutoSpec.Data;

/// <summary>
/// The group-specific signal that <see cref="GaussianMixtureGenerator"/> plants in one group
/// (<see cref="GaussianMixtureOptions.EffectGroup"/>). See <see cref="GaussianMixtureGenerator"/> for the exact model.
/// </summary>
public enum PlantedEffect
{
    /// <summary>Null mode: every group is drawn from the same distribution; there is no group difference at all.</summary>
    None,

    /// <summary>
    /// In the effect group, the means of class 1 and higher are shifted by +<see cref="GaussianMixtureOptions.EffectSize"/>
    /// on each of the first <see cref="GaussianMixtureOptions.EffectFeatures"/> features (class 0 is unchanged), so the
    /// effect group's decision boundary differs from the other groups'.
    /// </summary>
    MeanShift,

    /// <summary>
    /// In the effect group, each of the first <see cref="GaussianMixtureOptions.EffectFeatures"/> features gets extra
    /// independent N(0, <see cref="GaussianMixtureOptions.EffectSize"/>²) noise (all classes); the means are unchanged.
    /// </summary>
    Noise,
}
