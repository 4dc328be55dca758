namespace AutoSpec.Data;

/// <summary>
/// Options of <see cref="VolumeGenerator.Generate"/>: structural-like 3D volumes. Defaults: 100 subjects of 32³ voxels
/// (3 mm), patients with −0.3 intensity around (0.35, 0.5, 0.5), group "B" with +0.3 around (0.65, 0.5, 0.5).
/// Centres are fractions of the grid size along x, y, z; radii fractions of the smallest grid dimension.
/// </summary>
public sealed record VolumeOptions
{
    /// <summary>Number of subjects (one volume each). Default 100; at least 4 per group.</summary>
    public int Subjects { get; init; } = 100;

    /// <summary>Grid size x. Default 32.</summary>
    public int SizeX { get; init; } = 32;

    /// <summary>Grid size y. Default 32.</summary>
    public int SizeY { get; init; } = 32;

    /// <summary>Grid size z. Default 32.</summary>
    public int SizeZ { get; init; } = 32;

    /// <summary>Voxel size in mm (written to NIfTI headers only). Default 3.</summary>
    public float VoxelSize { get; init; } = 3f;

    /// <summary>Group names; subjects are dealt to them in turn. Default ["A", "B"].</summary>
    public IReadOnlyList<string> Groups { get; init; } = ["A", "B"];

    /// <summary>Standard deviation of the smooth per-subject random field inside the brain. Default 0.1.</summary>
    public double SubjectVariability { get; init; } = 0.1;

    /// <summary>σ (voxels) of the Gaussian kernel that smooths the subject field. Default 2.</summary>
    public double Smoothness { get; init; } = 2.0;

    /// <summary>Standard deviation of white noise on every voxel. Default 0.05.</summary>
    public double NoiseLevel { get; init; } = 0.05;

    /// <summary>Centre of the patients' (class 1) change. Default (0.35, 0.5, 0.5).</summary>
    public (double X, double Y, double Z) LabelCenter { get; init; } = (0.35, 0.5, 0.5);

    /// <summary>σ of the patients' change as a fraction of the smallest dimension. Default 0.1.</summary>
    public double LabelRadius { get; init; } = 0.1;

    /// <summary>Peak intensity change in patients (negative: atrophy-like). Default −0.3.</summary>
    public double LabelEffect { get; init; } = -0.3;

    /// <summary>The planted group effect. Default <see cref="VolumeEffect.Regional"/>; None is the null.</summary>
    public VolumeEffect Effect { get; init; } = VolumeEffect.Regional;

    /// <summary>Index into <see cref="Groups"/> of the group carrying the effect. Default 1 ("B").</summary>
    public int EffectGroup { get; init; } = 1;

    /// <summary>Centre of the group change. Default (0.65, 0.5, 0.5).</summary>
    public (double X, double Y, double Z) EffectCenter { get; init; } = (0.65, 0.5, 0.5);

    /// <summary>σ of the group change as a fraction of the smallest dimension. Default 0.1.</summary>
    public double EffectRadius { get; init; } = 0.1;

    /// <summary>Peak intensity change in the effect group. Default 0.3.</summary>
    public double EffectSize { get; init; } = 0.3;

    /// <summary>Seed of every random draw. Default 0.</summary>
    public int Seed { get; init; }
}
