namespace AutoSpec.Data;

/// <summary>The group difference that <see cref="VolumeGenerator"/> plants in <see cref="VolumeOptions.EffectGroup"/>.</summary>
public enum VolumeEffect
{
    /// <summary>Null mode: every group is drawn from the same distribution.</summary>
    None,

    /// <summary>A smooth regional intensity change of <see cref="VolumeOptions.EffectSize"/> around <see cref="VolumeOptions.EffectCenter"/>.</summary>
    Regional,
}
