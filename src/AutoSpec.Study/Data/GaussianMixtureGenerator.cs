using System.Globalization;
using System.Text;

namespace AutoSpec.Data;

/// <summary>
/// Synthetic tabular data with a known ground truth, for testing that a group-specific signal is (or is not) found.
/// </summary>
/// <remarks>
/// <para>Ground truth of <see cref="Generate"/> (F = Features, K = Classes, s = Separation, d = EffectSize,
/// k = EffectFeatures, G = the effect group):</para>
/// <list type="number">
/// <item><description>Class means: K random orthonormal directions e_0 … e_(K-1) in R^F (Gram–Schmidt of Gaussian
/// vectors); mean_c = s/√2 · (e_c − mean of all e). This is a regular simplex centred on the origin: every pair of class
/// means is exactly s apart (for K = 2: ±s/2 along one random unit direction). The means are the same for every
/// group.</description></item>
/// <item><description>Groups: exact counts from the fractions (largest-remainder rounding of Samples × fraction,
/// ties to the earlier group), assigned to samples in a seeded random order.</description></item>
/// <item><description>Classes: balanced within every group (per-group counts differ by at most 1, and the leftover
/// samples rotate over the classes from group to group so that the overall counts also differ by at most 1), in a
/// seeded random order. Class is therefore independent of group.</description></item>
/// <item><description>Features: x = mean_class + z, z ~ N(0, I_F), sampled by Box–Muller from
/// <c>System.Random(Seed)</c>.</description></item>
/// <item><description><see cref="PlantedEffect.MeanShift"/>: for samples of G with class ≥ 1, x_j += d for j &lt; k.
/// Class 0 of G, features j ≥ k and all other groups are untouched.</description></item>
/// <item><description><see cref="PlantedEffect.Noise"/>: for samples of G (every class), x_j += d · z'_j for
/// j &lt; k with fresh z'_j ~ N(0, 1), so the variance of those features becomes 1 + d².</description></item>
/// <item><description><see cref="PlantedEffect.None"/>: nothing is added; all groups share one distribution.</description></item>
/// </list>
/// <para>The base draws (means, group order, class order, z) do not depend on <see cref="GaussianMixtureOptions.Effect"/>,
/// so data sets that differ only in the effect options differ only in the planted effect. The same options give
/// bit-identical output.</para>
/// </remarks>
public static class GaussianMixtureGenerator
{
    /// <summary>Generates the data set described in the remarks of <see cref="GaussianMixtureGenerator"/>.</summary>
    /// <exception cref="InvalidInputException">An option is out of range; the message names the option.</exception>
    public static Dataset Generate(GaussianMixtureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var fractions = Validate(options);
        var o = options;
        int n = o.Samples, f = o.Features, k = o.Classes;
        var groupCounts = GroupCounts(n, fractions);

        var rng = new Random(o.Seed);
        var normal = new NormalSampler(rng);

        var means = ClassMeans(normal, k, f, o.Separation);

        var groupOf = new int[n];
        for (int g = 0, i = 0; g < groupCounts.Length; g++)
        {
            for (var c = 0; c < groupCounts[g]; c++)
            {
                groupOf[i++] = g;
            }
        }
        Shuffle(rng, groupOf);

        // Balanced classes within each group; leftovers rotate over the classes so the totals stay balanced too.
        var classQueues = new int[groupCounts.Length][];
        var rotation = 0;
        for (var g = 0; g < groupCounts.Length; g++)
        {
            var q = new int[groupCounts[g]];
            var perClass = groupCounts[g] / k;
            var rest = groupCounts[g] % k;
            var idx = 0;
            for (var c = 0; c < k; c++)
            {
                for (var r = 0; r < perClass; r++)
                {
                    q[idx++] = c;
                }
            }
            for (var r = 0; r < rest; r++)
            {
                q[idx++] = (rotation + r) % k;
            }
            rotation = (rotation + rest) % k;
            Shuffle(rng, q);
            classQueues[g] = q;
        }
        var labels = new int[n];
        var taken = new int[groupCounts.Length];
        for (var i = 0; i < n; i++)
        {
            var g = groupOf[i];
            labels[i] = classQueues[g][taken[g]++];
        }

        var x = new double[(long)n * f];
        for (var i = 0; i < n; i++)
        {
            var mean = means[labels[i]];
            for (var j = 0; j < f; j++)
            {
                x[(long)i * f + j] = mean[j] + normal.Next();
            }
        }

        if (o.Effect == PlantedEffect.MeanShift)
        {
            for (var i = 0; i < n; i++)
            {
                if (groupOf[i] == o.EffectGroup && labels[i] >= 1)
                {
                    for (var j = 0; j < o.EffectFeatures; j++)
                    {
                        x[(long)i * f + j] += o.EffectSize;
                    }
                }
            }
        }
        else if (o.Effect == PlantedEffect.Noise)
        {
            for (var i = 0; i < n; i++)
            {
                if (groupOf[i] == o.EffectGroup)
                {
                    for (var j = 0; j < o.EffectFeatures; j++)
                    {
                        x[(long)i * f + j] += o.EffectSize * normal.Next();
                    }
                }
            }
        }

        var features = new float[x.Length];
        for (long i = 0; i < x.Length; i++)
        {
            features[i] = (float)x[i];
        }

        var groupNames = o.Groups.ToArray();
        var groups = new string[n];
        var subjects = new string[n];
        var digits = Math.Max(4, n.ToString(CultureInfo.InvariantCulture).Length);
        for (var i = 0; i < n; i++)
        {
            groups[i] = groupNames[groupOf[i]];
            subjects[i] = "sub-" + (i + 1).ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
        }
        var featureDigits = Math.Max(2, (f - 1).ToString(CultureInfo.InvariantCulture).Length);
        var featureNames = new string[f];
        for (var j = 0; j < f; j++)
        {
            featureNames[j] = "f" + j.ToString(CultureInfo.InvariantCulture).PadLeft(featureDigits, '0');
        }
        var labelNames = new string[k];
        for (var c = 0; c < k; c++)
        {
            labelNames[c] = c.ToString(CultureInfo.InvariantCulture);
        }

        return new Dataset(features, f, labels, labelNames, groups, featureNames, subjects,
            Describe(o, fractions));
    }

    private static double[] Validate(GaussianMixtureOptions o)
    {
        if (o.Classes < 2)
        {
            throw Bad($"Classes must be at least 2, got {o.Classes}");
        }
        if (o.Samples < 2 * o.Classes)
        {
            throw Bad($"Samples must be at least 2 × Classes = {2 * o.Classes}, got {o.Samples}");
        }
        if (o.Features < 1)
        {
            throw Bad($"Features must be at least 1, got {o.Features}");
        }
        if (o.Classes > o.Features)
        {
            throw Bad($"Classes ({o.Classes}) must not exceed Features ({o.Features}): the class means need one direction each");
        }
        if ((long)o.Samples * o.Features > Array.MaxLength)
        {
            throw Bad($"Samples × Features = {(long)o.Samples * o.Features} is too large for one array");
        }
        if (o.Groups is null || o.Groups.Count < 1)
        {
            throw Bad("Groups must name at least one group");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in o.Groups)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw Bad("Groups must not contain an empty name");
            }
            if (!seen.Add(name))
            {
                throw Bad($"Groups contains '{name}' twice");
            }
        }
        double[] fractions;
        if (o.GroupFractions is null)
        {
            fractions = Enumerable.Repeat(1.0 / o.Groups.Count, o.Groups.Count).ToArray();
        }
        else
        {
            if (o.GroupFractions.Count != o.Groups.Count)
            {
                throw Bad($"GroupFractions has {o.GroupFractions.Count} entries but Groups has {o.Groups.Count}");
            }
            fractions = o.GroupFractions.ToArray();
            for (var g = 0; g < fractions.Length; g++)
            {
                if (!double.IsFinite(fractions[g]) || fractions[g] <= 0)
                {
                    throw Bad($"GroupFractions entry {g} (group '{o.Groups[g]}') must be a positive number, got {Fmt(fractions[g])}");
                }
            }
            var sum = fractions.Sum();
            if (Math.Abs(sum - 1) > 1e-9)
            {
                throw Bad($"GroupFractions must sum to 1, got {Fmt(sum)}");
            }
        }
        if (!double.IsFinite(o.Separation) || o.Separation < 0)
        {
            throw Bad($"Separation must be a finite number ≥ 0, got {Fmt(o.Separation)}");
        }
        if (!Enum.IsDefined(o.Effect))
        {
            throw Bad($"Effect must be None, MeanShift or Noise, got {(int)o.Effect}");
        }
        if (!double.IsFinite(o.EffectSize) || o.EffectSize < 0)
        {
            throw Bad($"EffectSize must be a finite number ≥ 0, got {Fmt(o.EffectSize)}");
        }
        if (o.Effect != PlantedEffect.None)
        {
            if (o.EffectFeatures < 1 || o.EffectFeatures > o.Features)
            {
                throw Bad($"EffectFeatures must be between 1 and Features ({o.Features}), got {o.EffectFeatures}");
            }
            if (o.EffectGroup < 0 || o.EffectGroup >= o.Groups.Count)
            {
                throw Bad($"EffectGroup must be a group index between 0 and {o.Groups.Count - 1}, got {o.EffectGroup}");
            }
        }
        var counts = GroupCounts(o.Samples, fractions);
        for (var g = 0; g < counts.Length; g++)
        {
            if (counts[g] == 0)
            {
                throw Bad($"GroupFractions gives group '{o.Groups[g]}' 0 of {o.Samples} samples; raise Samples or its fraction");
            }
        }
        return fractions;
    }

    /// <summary>Largest-remainder rounding of n × fractions; ties go to the earlier group.</summary>
    private static int[] GroupCounts(int n, double[] fractions)
    {
        var counts = new int[fractions.Length];
        var remainders = new double[fractions.Length];
        long assigned = 0;
        for (var g = 0; g < fractions.Length; g++)
        {
            var exact = n * fractions[g];
            counts[g] = (int)Math.Min(n, Math.Floor(exact));
            remainders[g] = exact - counts[g];
            assigned += counts[g];
        }
        // Stable sort: equal remainders keep group order.
        var order = Enumerable.Range(0, fractions.Length).OrderByDescending(g => remainders[g]).ToArray();
        for (var r = 0; assigned < n; r++)
        {
            counts[order[r % order.Length]]++;
            assigned++;
        }
        // Fractions may sum to slightly more than 1 (tolerance 1e-9): take the excess from the smallest remainders.
        for (var r = order.Length - 1; assigned > n; r = (r + order.Length - 1) % order.Length)
        {
            if (counts[order[r]] > 0)
            {
                counts[order[r]]--;
                assigned--;
            }
        }
        return counts;
    }

    private static double[][] ClassMeans(NormalSampler normal, int k, int f, double separation)
    {
        var basis = new double[k][];
        for (var c = 0; c < k; c++)
        {
            while (true)
            {
                var v = new double[f];
                for (var j = 0; j < f; j++)
                {
                    v[j] = normal.Next();
                }
                for (var p = 0; p < c; p++)
                {
                    var dot = 0.0;
                    for (var j = 0; j < f; j++)
                    {
                        dot += v[j] * basis[p][j];
                    }
                    for (var j = 0; j < f; j++)
                    {
                        v[j] -= dot * basis[p][j];
                    }
                }
                var norm = Math.Sqrt(v.Sum(a => a * a));
                if (norm > 1e-6)
                {
                    for (var j = 0; j < f; j++)
                    {
                        v[j] /= norm;
                    }
                    basis[c] = v;
                    break;
                }
            }
        }
        var scale = separation / Math.Sqrt(2);
        var means = new double[k][];
        for (var c = 0; c < k; c++)
        {
            means[c] = new double[f];
            for (var j = 0; j < f; j++)
            {
                var centroid = 0.0;
                for (var p = 0; p < k; p++)
                {
                    centroid += basis[p][j];
                }
                means[c][j] = scale * (basis[c][j] - centroid / k);
            }
        }
        return means;
    }

    private static void Shuffle(Random rng, int[] values)
    {
        for (var i = values.Length - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private static string Describe(GaussianMixtureOptions o, double[] fractions)
    {
        var sb = new StringBuilder("gaussian-mixture(");
        sb.Append(CultureInfo.InvariantCulture, $"samples={o.Samples}, features={o.Features}, classes={o.Classes}, groups=[");
        for (var g = 0; g < o.Groups.Count; g++)
        {
            sb.Append(g == 0 ? "" : ", ").Append(o.Groups[g]).Append(':').Append(Fmt(fractions[g]));
        }
        sb.Append("], separation=").Append(Fmt(o.Separation));
        sb.Append(", effect=").Append(o.Effect.ToString());
        if (o.Effect != PlantedEffect.None)
        {
            sb.Append(", effect-size=").Append(Fmt(o.EffectSize));
            sb.Append(CultureInfo.InvariantCulture, $", effect-features={o.EffectFeatures}");
            sb.Append(", effect-group=").Append(o.Groups[o.EffectGroup]);
        }
        sb.Append(CultureInfo.InvariantCulture, $", seed={o.Seed})");
        return sb.ToString();
    }

    private static string Fmt(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static InvalidInputException Bad(string message) =>
        new("Gaussian mixture option " + message + ".");

    /// <summary>Standard normal draws by the Box–Muller transform; the second value of each pair is kept.</summary>
    internal sealed class NormalSampler(Random rng)
    {
        private double _spare;
        private bool _hasSpare;

        public double Next()
        {
            if (_hasSpare)
            {
                _hasSpare = false;
                return _spare;
            }
            var u1 = 1.0 - rng.NextDouble(); // (0, 1]: keeps Log finite
            var u2 = rng.NextDouble();
            var r = Math.Sqrt(-2.0 * Math.Log(u1));
            var theta = 2.0 * Math.PI * u2;
            _spare = r * Math.Sin(theta);
            _hasSpare = true;
            return r * Math.Cos(theta);
        }
    }
}
