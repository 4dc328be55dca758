namespace AutoSpec.Data;

/// <summary>
/// The group difference that <see cref="TimeCourseGenerator"/> plants in <see cref="TimeCourseOptions.EffectGroup"/>
/// (flags: both may be combined). The exact model is in <see cref="TimeCourseGenerator"/>.
/// </summary>
[Flags]
public enum TimeCourseEffect
{
    /// <summary>Null mode: every group is drawn from the same distribution.</summary>
    None = 0,

    /// <summary>The component pairs <see cref="TimeCourseOptions.EffectPairs"/> are correlated (ρ = <see cref="TimeCourseOptions.EffectCorrelation"/>) in the effect group only.</summary>
    Correlation = 1,

    /// <summary>
    /// The power of <see cref="TimeCourseOptions.EffectComponents"/> in the band
    /// [<see cref="TimeCourseOptions.EffectLowHz"/>, <see cref="TimeCourseOptions.EffectHighHz"/>] is multiplied by
    /// <see cref="TimeCourseOptions.EffectPowerRatio"/> in the effect group only.
    /// </summary>
    BandPower = 2,

    /// <summary>Both effects.</summary>
    Both = Correlation | BandPower,
}
