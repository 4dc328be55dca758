using System.Globalization;

namespace AutoSpec.Data;

/// <summary>
/// Synthetic structural-like volumes with a known class change and a planted group change.
/// </summary>
/// <remarks>
/// <para>Every subject shares a template: an ellipsoidal "brain" (radii 0.40, 0.45, 0.40 of the grid) with a brighter
/// core (intensity 1.0, white-matter-like) inside a darker shell (0.7, grey-matter-like), dark ventricles (0.25)
/// at the centre, and smooth edges; with r the ellipsoidal radius, the brain envelope b(r) = 1/(1 + e^{(r-1)/0.04})
/// fades to 0 outside. The brain mask (<see cref="BrainMask"/>) is r &lt; 1.</para>
/// <para>Per subject: template + b·(smooth field) + white noise, where the field is unit white noise smoothed by a
/// Gaussian of σ = Smoothness voxels and rescaled to standard deviation SubjectVariability, and the noise is
/// N(0, NoiseLevel²). Patients (class 1) add LabelEffect · b · exp(−d²/2σ²) with d the distance (voxels) to
/// LabelCenter and σ = LabelRadius × the smallest dimension; subjects of EffectGroup (when Effect is Regional) add
/// EffectSize · b · exp(−d²/2σ²) around EffectCenter the same way. These two maps are the ground truth
/// (<see cref="ChangeMap"/>). Subjects are dealt to groups in turn and alternately to control and patient within each
/// group, so label and group are independent and balanced.</para>
/// </remarks>
public static class VolumeGenerator
{
    /// <summary>Generates the data set; samples have shape [SizeX, SizeY, SizeZ] in C order. Deterministic by seed.</summary>
    /// <exception cref="InvalidInputException">An option is out of range; the message names it.</exception>
    public static Dataset Generate(VolumeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options;
        Validate(o);
        int nx = o.SizeX, ny = o.SizeY, nz = o.SizeZ, v = nx * ny * nz, g = o.Groups.Count;
        var (template, envelope) = Template(o);
        var labelMap = ChangeMap(o, o.LabelCenter, o.LabelRadius, o.LabelEffect);
        var effectMap = ChangeMap(o, o.EffectCenter, o.EffectRadius, o.EffectSize);
        var kernel = Kernel(o.Smoothness);
        var fieldSd = Math.Pow(kernel.Sum(k => k * k), 1.5); // sd of smoothed unit white noise (away from edges)
        var rng = new Random(o.Seed);
        var normal = new GaussianMixtureGenerator.NormalSampler(rng);
        var values = new float[(long)o.Subjects * v];
        var labels = new int[o.Subjects];
        var groups = new string[o.Subjects];
        var subjects = new string[o.Subjects];
        var perGroup = new int[g];
        var field = new double[v];
        var digits = Math.Max(4, o.Subjects.ToString(CultureInfo.InvariantCulture).Length);
        for (var i = 0; i < o.Subjects; i++)
        {
            var group = i % g;
            labels[i] = perGroup[group]++ % 2;
            groups[i] = o.Groups[group];
            subjects[i] = "sub-" + (i + 1).ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
            for (var k = 0; k < v; k++)
            {
                field[k] = normal.Next();
            }
            Smooth(field, nx, ny, nz, kernel);
            var fieldScale = o.SubjectVariability / fieldSd;
            var effect = o.Effect == VolumeEffect.Regional && group == o.EffectGroup;
            var offset = (long)i * v;
            for (var k = 0; k < v; k++)
            {
                var x = template[k] + envelope[k] * field[k] * fieldScale + o.NoiseLevel * normal.Next();
                if (labels[i] == 1)
                {
                    x += labelMap[k];
                }
                if (effect)
                {
                    x += effectMap[k];
                }
                values[offset + k] = (float)x;
            }
        }
        int[] shape = [nx, ny, nz];
        return new Dataset(values, v, labels, TimeCourseGenerator.ClassNames, groups, GeneratedNames.ForShape(shape),
            subjects, Describe(o), shape);
    }

    /// <summary>The brain mask (1 inside the template ellipsoid, else 0), C order of [SizeX, SizeY, SizeZ].</summary>
    public static float[] BrainMask(VolumeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var mask = new float[options.SizeX * options.SizeY * options.SizeZ];
        ForEachVoxel(options, (k, x, y, z) => mask[k] = Radius(options, x, y, z) < 1 ? 1f : 0f);
        return mask;
    }

    /// <summary>
    /// Ground truth: the intensity change of size <paramref name="size"/> centred at <paramref name="center"/> (fractions
    /// of the grid) with σ = <paramref name="radius"/> × the smallest dimension, times the brain envelope; C order.
    /// </summary>
    public static double[] ChangeMap(VolumeOptions options, (double X, double Y, double Z) center, double radius, double size)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options;
        var map = new double[o.SizeX * o.SizeY * o.SizeZ];
        var sigma = radius * Math.Min(o.SizeX, Math.Min(o.SizeY, o.SizeZ));
        double cx = center.X * (o.SizeX - 1), cy = center.Y * (o.SizeY - 1), cz = center.Z * (o.SizeZ - 1);
        ForEachVoxel(o, (k, x, y, z) =>
        {
            var d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz);
            map[k] = size * Envelope(Radius(o, x, y, z)) * Math.Exp(-d2 / (2 * sigma * sigma));
        });
        return map;
    }

    private static (double[] Template, double[] Envelope) Template(VolumeOptions o)
    {
        var template = new double[o.SizeX * o.SizeY * o.SizeZ];
        var envelope = new double[template.Length];
        var ventricle = 0.12 * Math.Min(o.SizeX, Math.Min(o.SizeY, o.SizeZ));
        ForEachVoxel(o, (k, x, y, z) =>
        {
            var r = Radius(o, x, y, z);
            var b = Envelope(r);
            var tissue = 0.7 + 0.3 / (1 + Math.Exp((r - 0.6) / 0.05));
            double dx = x - (o.SizeX - 1) / 2.0, dy = (y - (o.SizeY - 1) / 2.0) / 1.5, dz = z - (o.SizeZ - 1) / 2.0;
            var rv = Math.Sqrt(dx * dx + dy * dy + dz * dz) / ventricle;
            var csf = 1 / (1 + Math.Exp((rv - 1) / 0.1));
            template[k] = b * (tissue * (1 - csf) + 0.25 * csf);
            envelope[k] = b;
        });
        return (template, envelope);
    }

    private static double Radius(VolumeOptions o, int x, int y, int z)
    {
        double dx = (x - (o.SizeX - 1) / 2.0) / (0.40 * o.SizeX);
        double dy = (y - (o.SizeY - 1) / 2.0) / (0.45 * o.SizeY);
        double dz = (z - (o.SizeZ - 1) / 2.0) / (0.40 * o.SizeZ);
        return Math.Sqrt(dx * dx + dy * dy + dz * dz);
    }

    private static double Envelope(double r) => 1 / (1 + Math.Exp((r - 1) / 0.04));

    private static void ForEachVoxel(VolumeOptions o, Action<int, int, int, int> action)
    {
        var k = 0;
        for (var x = 0; x < o.SizeX; x++)
        {
            for (var y = 0; y < o.SizeY; y++)
            {
                for (var z = 0; z < o.SizeZ; z++)
                {
                    action(k++, x, y, z);
                }
            }
        }
    }

    private static double[] Kernel(double sigma)
    {
        if (sigma <= 0)
        {
            return [1.0];
        }
        var half = (int)Math.Ceiling(3 * sigma);
        var k = Enumerable.Range(-half, 2 * half + 1).Select(d => Math.Exp(-d * d / (2 * sigma * sigma))).ToArray();
        var sum = k.Sum();
        return k.Select(w => w / sum).ToArray();
    }

    /// <summary>Separable Gaussian smoothing along z, y, x (C order [x, y, z]); zero outside the grid.</summary>
    private static void Smooth(double[] field, int nx, int ny, int nz, double[] kernel)
    {
        if (kernel.Length == 1)
        {
            return;
        }
        var half = kernel.Length / 2;
        var line = new double[Math.Max(nx, Math.Max(ny, nz))];
        void Pass(int length, int count, Func<int, int, int> index)
        {
            for (var c = 0; c < count; c++)
            {
                for (var p = 0; p < length; p++)
                {
                    line[p] = field[index(c, p)];
                }
                for (var p = 0; p < length; p++)
                {
                    var s = 0.0;
                    for (var d = -half; d <= half; d++)
                    {
                        var q = p + d;
                        if (q >= 0 && q < length)
                        {
                            s += kernel[d + half] * line[q];
                        }
                    }
                    field[index(c, p)] = s;
                }
            }
        }
        Pass(nz, nx * ny, (c, p) => c * nz + p);
        Pass(ny, nx * nz, (c, p) => (c / nz * ny + p) * nz + c % nz);
        Pass(nx, ny * nz, (c, p) => p * ny * nz + c);
    }

    private static void Validate(VolumeOptions o)
    {
        if (o.SizeX < 4 || o.SizeY < 4 || o.SizeZ < 4 || o.SizeX > 256 || o.SizeY > 256 || o.SizeZ > 256)
        {
            throw Bad($"sizes must be in 4..256, got {o.SizeX} × {o.SizeY} × {o.SizeZ}");
        }
        if (o.Groups is null || o.Groups.Count < 1 || o.Groups.Any(string.IsNullOrWhiteSpace) || o.Groups.Distinct().Count() != o.Groups.Count)
        {
            throw Bad("Groups must be distinct non-empty names");
        }
        if (o.Subjects < 4 * o.Groups.Count)
        {
            throw Bad($"Subjects must be at least 4 per group ({4 * o.Groups.Count}), got {o.Subjects}");
        }
        if ((long)o.Subjects * o.SizeX * o.SizeY * o.SizeZ > Array.MaxLength)
        {
            throw Bad("Subjects × voxels is too large for one array");
        }
        double[] nonNegative = [o.SubjectVariability, o.Smoothness, o.NoiseLevel];
        if (nonNegative.Any(x => !(x >= 0) || !double.IsFinite(x)) || !(o.LabelRadius > 0) || !(o.EffectRadius > 0))
        {
            throw Bad("SubjectVariability, Smoothness and NoiseLevel must be ≥ 0 and the radii positive");
        }
        if (!Enum.IsDefined(o.Effect))
        {
            throw Bad($"Effect must be None or Regional, got {(int)o.Effect}");
        }
        if (o.Effect != VolumeEffect.None && (o.EffectGroup < 0 || o.EffectGroup >= o.Groups.Count))
        {
            throw Bad($"EffectGroup must be in 0..{o.Groups.Count - 1}, got {o.EffectGroup}");
        }
    }

    private static string Describe(VolumeOptions o)
    {
        static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        static string P((double X, double Y, double Z) p) => $"({F(p.X)},{F(p.Y)},{F(p.Z)})";
        var effect = o.Effect == VolumeEffect.None
            ? "effect=None"
            : $"effect=Regional, effect-group={o.Groups[o.EffectGroup]}, effect-center={P(o.EffectCenter)}, effect-radius={F(o.EffectRadius)}, effect-size={F(o.EffectSize)}";
        return $"volumes(subjects={o.Subjects}, size={o.SizeX}x{o.SizeY}x{o.SizeZ}, groups=[{string.Join(", ", o.Groups)}], " +
            $"subject-variability={F(o.SubjectVariability)}, smoothness={F(o.Smoothness)}, noise={F(o.NoiseLevel)}, " +
            $"label-center={P(o.LabelCenter)}, label-radius={F(o.LabelRadius)}, label-effect={F(o.LabelEffect)}, {effect}, seed={o.Seed})";
    }

    private static InvalidInputException Bad(string message) => new("volume option " + message + ".");
}
