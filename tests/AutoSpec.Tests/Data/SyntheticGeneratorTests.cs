using System.Numerics;
using AutoSpec.Data;

namespace AutoSpec.Tests.Data;

public sealed class SyntheticGeneratorTests
{
    private static readonly TimeCourseOptions SmallTc = new() { Subjects = 120, Components = 6, TimePoints = 100 };

    private static double Correlation(Dataset d, int sample, int a, int b)
    {
        var t = d.SampleShape[1];
        var x = d.Features.AsSpan((sample * d.SampleShape[0] + a) * t, t).ToArray().Select(v => (double)v).ToArray();
        var y = d.Features.AsSpan((sample * d.SampleShape[0] + b) * t, t).ToArray().Select(v => (double)v).ToArray();
        double mx = x.Average(), my = y.Average();
        var sxy = x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my));
        return sxy / Math.Sqrt(x.Sum(v => (v - mx) * (v - mx)) * y.Sum(v => (v - my) * (v - my)));
    }

    private static double MeanOver(Dataset d, Func<int, bool> which, Func<int, double> value) =>
        Enumerable.Range(0, d.SampleCount).Where(which).Average(value);

    /// <summary>Periodogram power of one component summed over Fourier bins in [lo, hi] Hz.</summary>
    private static double BandPower(Dataset d, int sample, int component, double tr, double lo, double hi)
    {
        var t = d.SampleShape[1];
        var x = d.Features.AsSpan((sample * d.SampleShape[0] + component) * t, t).ToArray();
        var power = 0.0;
        for (var k = 1; k <= t / 2; k++)
        {
            var f = k / (t * tr);
            if (f < lo || f > hi)
            {
                continue;
            }
            var sum = Complex.Zero;
            for (var n = 0; n < t; n++)
            {
                sum += x[n] * Complex.Exp(new Complex(0, -2 * Math.PI * k * n / t));
            }
            power += sum.Magnitude * sum.Magnitude;
        }
        return power;
    }

    [Fact]
    public void TimeCoursesCarryThePlantedCorrelations()
    {
        var d = TimeCourseGenerator.Generate(SmallTc);
        var expected = 0.6 / (1 + 0.25); // ρ / (1 + noise²)

        Assert.Equal([6, 100], d.SampleShape);
        Assert.Equal(expected, MeanOver(d, i => d.Labels[i] == 1, i => Correlation(d, i, 0, 1)), 0.07);
        Assert.Equal(0, MeanOver(d, i => d.Labels[i] == 0, i => Correlation(d, i, 0, 1)), 0.07);
        Assert.Equal(expected, MeanOver(d, i => d.Groups[i] == "B", i => Correlation(d, i, 2, 3)), 0.07);
        Assert.Equal(0, MeanOver(d, i => d.Groups[i] == "A", i => Correlation(d, i, 2, 3)), 0.07);
        // Classes are balanced inside each group.
        Assert.All(d.Groups.Distinct(), g => Assert.Equal(30, Enumerable.Range(0, 120).Count(i => d.Groups[i] == g && d.Labels[i] == 1)));
    }

    [Fact]
    public void TimeCourseBandPowerRatioMatchesTheOption()
    {
        var d = TimeCourseGenerator.Generate(SmallTc with { NoiseLevel = 0, Effect = TimeCourseEffect.BandPower });
        double B(string g) => MeanOver(d, i => d.Groups[i] == g, i => BandPower(d, i, 4, 2.0, 0.06, 0.12));

        Assert.Equal(3.0, B("B") / B("A"), 0.6);
        Assert.Equal(0, MeanOver(d, i => d.Groups[i] == "B", i => Correlation(d, i, 2, 3)), 0.07); // correlation off
    }

    [Fact]
    public void TimeCourseNullHasNoGroupDifference()
    {
        var d = TimeCourseGenerator.Generate(SmallTc with { Effect = TimeCourseEffect.None, NoiseLevel = 0 });
        double B(string g) => MeanOver(d, i => d.Groups[i] == g, i => BandPower(d, i, 4, 2.0, 0.06, 0.12));

        Assert.Equal(1.0, B("B") / B("A"), 0.35);
        Assert.Equal(0, MeanOver(d, i => d.Groups[i] == "B", i => Correlation(d, i, 2, 3)), 0.07);
        Assert.DoesNotContain("effect-group", d.Source);
    }

    [Fact]
    public void GeneratorsAreDeterministicBySeed()
    {
        Assert.Equal(TimeCourseGenerator.Generate(SmallTc).Features, TimeCourseGenerator.Generate(SmallTc).Features);
        Assert.NotEqual(TimeCourseGenerator.Generate(SmallTc).Features, TimeCourseGenerator.Generate(SmallTc with { Seed = 1 }).Features);
        var v = new VolumeOptions { Subjects = 8, SizeX = 8, SizeY = 8, SizeZ = 8 };
        Assert.Equal(VolumeGenerator.Generate(v).Features, VolumeGenerator.Generate(v).Features);
    }

    [Fact]
    public void VolumesCarryTheRegionalChanges()
    {
        var o = new VolumeOptions { Subjects = 40, SizeX = 16, SizeY = 16, SizeZ = 16 };
        var d = VolumeGenerator.Generate(o);
        var labelMap = VolumeGenerator.ChangeMap(o, o.LabelCenter, o.LabelRadius, o.LabelEffect);
        var effectMap = VolumeGenerator.ChangeMap(o, o.EffectCenter, o.EffectRadius, o.EffectSize);
        var labelPeak = Array.IndexOf(labelMap, labelMap.Min());
        var effectPeak = Array.IndexOf(effectMap, effectMap.Max());
        double At(int voxel, Func<int, bool> who) => MeanOver(d, who, i => d.Features[i * d.FeatureCount + voxel]);

        Assert.Equal([16, 16, 16], d.SampleShape);
        Assert.Equal(labelMap[labelPeak], At(labelPeak, i => d.Labels[i] == 1) - At(labelPeak, i => d.Labels[i] == 0), 0.08);
        Assert.Equal(effectMap[effectPeak], At(effectPeak, i => d.Groups[i] == "B") - At(effectPeak, i => d.Groups[i] == "A"), 0.08);
        Assert.True(effectMap[effectPeak] > 0.2);

        var none = VolumeGenerator.Generate(o with { Effect = VolumeEffect.None });
        Assert.Equal(0, MeanOver(none, i => none.Groups[i] == "B", i => none.Features[i * none.FeatureCount + effectPeak])
            - MeanOver(none, i => none.Groups[i] == "A", i => none.Features[i * none.FeatureCount + effectPeak]), 0.08);
        var mask = VolumeGenerator.BrainMask(o);
        Assert.Equal(1f, mask[effectPeak]);
        Assert.Equal(0f, mask[0]); // corner outside the brain
    }

    [Fact]
    public void BadOptionsNameTheOption()
    {
        Assert.Contains("HighHz", Assert.Throws<InvalidInputException>(() => TimeCourseGenerator.Generate(SmallTc with { HighHz = 0.3 })).Message);
        Assert.Contains("disjoint", Assert.Throws<InvalidInputException>(() => TimeCourseGenerator.Generate(SmallTc with { EffectPairs = [(1, 2)] })).Message);
        Assert.Contains("sizes", Assert.Throws<InvalidInputException>(() => VolumeGenerator.Generate(new VolumeOptions { SizeX = 2 })).Message);
    }
}
