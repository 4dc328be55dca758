using System.Globalization;
using System.Text;

namespace AutoSpec.Data;

/// <summary>
/// Synthetic ICA time courses (components × time points per subject) with a known class signal and a planted group
/// effect, in the spirit of SimTB (Erhardt et al. 2012): band-limited component signals whose correlations and
/// spectral power differ between classes and groups.
/// </summary>
/// <remarks>
/// <para>Model, per subject and component c: an independent source s_c(t) = √(2/K) Σ_k w_k (a_k cos 2πf_k t·TR +
/// b_k sin 2πf_k t·TR) over the K Fourier frequencies f_k = k/(T·TR) inside [LowHz, HighHz], with a_k, b_k ~ N(0, 1)
/// and w_k = 1, so E[s_c²] = 1. With <see cref="TimeCourseEffect.BandPower"/>, for subjects of the effect group and
/// components in EffectComponents, w_k = √EffectPowerRatio for f_k in [EffectLowHz, EffectHighHz]: the expected power
/// in that band is multiplied by EffectPowerRatio.</para>
/// <para>Correlations: for a pair (i, j) with correlation ρ, x_j = ρ s_i + √(1-ρ²) s_j (other components x_c = s_c),
/// so corr(x_i, x_j) = ρ in expectation. Patients (class 1) have ρ = LabelCorrelation on LabelPairs, controls 0.
/// With <see cref="TimeCourseEffect.Correlation"/>, the effect group has ρ = EffectCorrelation on EffectPairs, the
/// other groups 0. Finally white noise N(0, NoiseLevel²) is added, so the expected observed correlation is
/// ρ / (1 + NoiseLevel²).</para>
/// <para>Subjects are dealt to groups in turn (subject i → group i mod G) and, within each group, alternately to
/// control and patient, so classes are balanced within every group and label and group are independent. Pairs must
/// not share components and EffectComponents must not be in a pair, so each ground-truth value holds exactly.</para>
/// </remarks>
public static class TimeCourseGenerator
{
    /// <summary>Class names: index 0 and 1.</summary>
    public static readonly IReadOnlyList<string> ClassNames = ["control", "patient"];

    /// <summary>Generates the data set; samples have shape [Components, TimePoints]. Deterministic by seed.</summary>
    /// <exception cref="InvalidInputException">An option is out of range; the message names it.</exception>
    public static Dataset Generate(TimeCourseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options;
        Validate(o);
        int n = o.Subjects, c = o.Components, t = o.TimePoints, g = o.Groups.Count;
        var duration = t * o.RepetitionTime;
        var frequencies = Enumerable.Range(1, t / 2).Select(k => k / duration).Where(f => f >= o.LowHz && f <= o.HighHz).ToArray();
        var rng = new Random(o.Seed);
        var normal = new GaussianMixtureGenerator.NormalSampler(rng);
        var values = new float[(long)n * c * t];
        var labels = new int[n];
        var groups = new string[n];
        var subjects = new string[n];
        var perGroup = new int[g];
        var source = new double[c][];
        var effectComponents = o.EffectComponents.ToHashSet();
        var digits = Math.Max(4, n.ToString(CultureInfo.InvariantCulture).Length);
        for (var i = 0; i < n; i++)
        {
            var group = i % g;
            labels[i] = perGroup[group]++ % 2;
            groups[i] = o.Groups[group];
            subjects[i] = "sub-" + (i + 1).ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
            var inEffect = group == o.EffectGroup;
            var boost = inEffect && o.Effect.HasFlag(TimeCourseEffect.BandPower);
            for (var comp = 0; comp < c; comp++)
            {
                source[comp] = Source(normal, frequencies, t, o.RepetitionTime, boost && effectComponents.Contains(comp), o);
            }
            var mixed = source.Select(s => (double[])s.Clone()).ToArray();
            if (labels[i] == 1)
            {
                Correlate(mixed, source, o.LabelPairs, o.LabelCorrelation);
            }
            if (inEffect && o.Effect.HasFlag(TimeCourseEffect.Correlation))
            {
                Correlate(mixed, source, o.EffectPairs, o.EffectCorrelation);
            }
            for (var comp = 0; comp < c; comp++)
            {
                var offset = ((long)i * c + comp) * t;
                for (var k = 0; k < t; k++)
                {
                    values[offset + k] = (float)(mixed[comp][k] + o.NoiseLevel * normal.Next());
                }
            }
        }
        var names = new GeneratedNames(c * t, j => $"c{j / t}_t{j % t}");
        return new Dataset(values, c * t, labels, ClassNames, groups, names, subjects, Describe(o), [c, t]);
    }

    private static double[] Source(GaussianMixtureGenerator.NormalSampler normal, double[] frequencies, int t, double tr, bool boost, TimeCourseOptions o)
    {
        var s = new double[t];
        var scale = Math.Sqrt(2.0 / frequencies.Length);
        foreach (var f in frequencies)
        {
            var w = boost && f >= o.EffectLowHz && f <= o.EffectHighHz ? Math.Sqrt(o.EffectPowerRatio) : 1.0;
            var a = normal.Next() * w * scale;
            var b = normal.Next() * w * scale;
            var omega = 2 * Math.PI * f * tr;
            for (var k = 0; k < t; k++)
            {
                s[k] += a * Math.Cos(omega * k) + b * Math.Sin(omega * k);
            }
        }
        return s;
    }

    private static void Correlate(double[][] mixed, double[][] source, IReadOnlyList<(int, int)> pairs, double rho)
    {
        var rest = Math.Sqrt(1 - rho * rho);
        foreach (var (i, j) in pairs)
        {
            for (var k = 0; k < mixed[j].Length; k++)
            {
                mixed[j][k] = rho * source[i][k] + rest * source[j][k];
            }
        }
    }

    private static void Validate(TimeCourseOptions o)
    {
        if (o.Subjects < 4)
        {
            throw Bad($"Subjects must be at least 4, got {o.Subjects}");
        }
        if (o.Components < 2 || o.TimePoints < 8)
        {
            throw Bad($"Components must be at least 2 and TimePoints at least 8, got {o.Components} and {o.TimePoints}");
        }
        if ((long)o.Subjects * o.Components * o.TimePoints > Array.MaxLength)
        {
            throw Bad("Subjects × Components × TimePoints is too large for one array");
        }
        if (!(o.RepetitionTime > 0) || !double.IsFinite(o.RepetitionTime))
        {
            throw Bad($"RepetitionTime must be positive, got {Fmt(o.RepetitionTime)}");
        }
        var nyquist = 0.5 / o.RepetitionTime;
        if (!(o.LowHz >= 0 && o.LowHz < o.HighHz && o.HighHz <= nyquist))
        {
            throw Bad($"need 0 ≤ LowHz < HighHz ≤ Nyquist ({Fmt(nyquist)} Hz), got {Fmt(o.LowHz)}–{Fmt(o.HighHz)}");
        }
        var resolution = 1 / (o.TimePoints * o.RepetitionTime);
        if (Math.Floor(o.HighHz / resolution) < Math.Ceiling(o.LowHz / resolution))
        {
            throw Bad($"the band {Fmt(o.LowHz)}–{Fmt(o.HighHz)} Hz holds no Fourier frequency (spacing {Fmt(resolution)} Hz); widen it or add time points");
        }
        if (o.Groups is null || o.Groups.Count < 1 || o.Groups.Any(string.IsNullOrWhiteSpace) || o.Groups.Distinct().Count() != o.Groups.Count)
        {
            throw Bad("Groups must be distinct non-empty names");
        }
        if (o.Subjects < 4 * o.Groups.Count)
        {
            throw Bad($"Subjects must be at least 4 per group ({4 * o.Groups.Count}), got {o.Subjects}");
        }
        if (o.LabelCorrelation is < -1 or > 1 || o.EffectCorrelation is < -1 or > 1)
        {
            throw Bad("LabelCorrelation and EffectCorrelation must be in [-1, 1]");
        }
        if ((int)o.Effect is < 0 or > 3)
        {
            throw Bad($"Effect must be None, Correlation, BandPower or Both, got {(int)o.Effect}");
        }
        var used = new HashSet<int>();
        foreach (var (a, b) in o.LabelPairs.Concat(o.Effect.HasFlag(TimeCourseEffect.Correlation) ? o.EffectPairs : []))
        {
            if (a < 0 || b < 0 || a >= o.Components || b >= o.Components || a == b)
            {
                throw Bad($"pair ({a}, {b}) needs two different components in 0..{o.Components - 1}");
            }
            if (!used.Add(a) || !used.Add(b))
            {
                throw Bad($"pair ({a}, {b}) shares a component with another pair; pairs must be disjoint");
            }
        }
        if (o.Effect != TimeCourseEffect.None && (o.EffectGroup < 0 || o.EffectGroup >= o.Groups.Count))
        {
            throw Bad($"EffectGroup must be in 0..{o.Groups.Count - 1}, got {o.EffectGroup}");
        }
        if (o.Effect.HasFlag(TimeCourseEffect.BandPower))
        {
            foreach (var comp in o.EffectComponents)
            {
                if (comp < 0 || comp >= o.Components || used.Contains(comp))
                {
                    throw Bad($"EffectComponents entry {comp} must be a component in 0..{o.Components - 1} outside every pair");
                }
            }
            if (!(o.EffectPowerRatio > 0) || !double.IsFinite(o.EffectPowerRatio) || !(o.EffectLowHz < o.EffectHighHz))
            {
                throw Bad("EffectPowerRatio must be positive and EffectLowHz below EffectHighHz");
            }
        }
        if (!(o.NoiseLevel >= 0) || !double.IsFinite(o.NoiseLevel))
        {
            throw Bad($"NoiseLevel must be ≥ 0, got {Fmt(o.NoiseLevel)}");
        }
    }

    private static string Describe(TimeCourseOptions o)
    {
        var sb = new StringBuilder("timecourses(");
        sb.Append(CultureInfo.InvariantCulture, $"subjects={o.Subjects}, components={o.Components}, timepoints={o.TimePoints}, tr={Fmt(o.RepetitionTime)}, ");
        sb.Append(CultureInfo.InvariantCulture, $"band={Fmt(o.LowHz)}-{Fmt(o.HighHz)}Hz, noise={Fmt(o.NoiseLevel)}, groups=[{string.Join(", ", o.Groups)}], ");
        sb.Append(CultureInfo.InvariantCulture, $"label-pairs={Pairs(o.LabelPairs)}, label-correlation={Fmt(o.LabelCorrelation)}, effect={o.Effect}");
        if (o.Effect != TimeCourseEffect.None)
        {
            sb.Append(CultureInfo.InvariantCulture, $", effect-group={o.Groups[o.EffectGroup]}");
        }
        if (o.Effect.HasFlag(TimeCourseEffect.Correlation))
        {
            sb.Append(CultureInfo.InvariantCulture, $", effect-pairs={Pairs(o.EffectPairs)}, effect-correlation={Fmt(o.EffectCorrelation)}");
        }
        if (o.Effect.HasFlag(TimeCourseEffect.BandPower))
        {
            sb.Append(CultureInfo.InvariantCulture, $", effect-components=[{string.Join(", ", o.EffectComponents)}], effect-band={Fmt(o.EffectLowHz)}-{Fmt(o.EffectHighHz)}Hz, effect-power-ratio={Fmt(o.EffectPowerRatio)}");
        }
        return sb.Append(CultureInfo.InvariantCulture, $", seed={o.Seed})").ToString();
    }

    private static string Pairs(IReadOnlyList<(int, int)> pairs) => "[" + string.Join(", ", pairs.Select(p => $"({p.Item1},{p.Item2})")) + "]";

    private static string Fmt(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static InvalidInputException Bad(string message) => new("time course option " + message + ".");
}
