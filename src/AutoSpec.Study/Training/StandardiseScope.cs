namespace AutoSpec.Training;

/// <summary>Which values share one mean and standard deviation in <see cref="Standardiser"/>.</summary>
public enum StandardiseScope
{
    /// <summary>Each feature (table column, array element, voxel) has its own statistics. The default for tables.</summary>
    PerFeature,

    /// <summary>
    /// All values of one index along the first axis of the sample share statistics: per component of components ×
    /// time courses (the time points of a component are exchangeable, so per-time-point statistics would be noise).
    /// </summary>
    PerChannel,

    /// <summary>One mean and standard deviation for everything (e.g. intensities of volumes).</summary>
    Global,
}
