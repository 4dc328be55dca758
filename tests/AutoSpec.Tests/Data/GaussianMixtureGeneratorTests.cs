using AutoSpec.Data;

namespace AutoSpec.Tests.Data;

public class GaussianMixtureGeneratorTests
{
    [Fact]
    public void DefaultsGiveDocumentedShapeAndNames()
    {
        var data = GaussianMixtureGenerator.Generate(new GaussianMixtureOptions());

        Assert.Equal(1200, data.SampleCount);
        Assert.Equal(32, data.FeatureCount);
        Assert.Equal(["0", "1"], data.LabelNames);
        Assert.Equal(600, data.Groups.Count(g => g == "A"));
        Assert.Equal(600, data.Groups.Count(g => g == "B"));
        Assert.Equal("sub-0001", data.SubjectIds[0]);
        Assert.Equal("sub-1200", data.SubjectIds[^1]);
        Assert.Equal(1200, data.SubjectIds.Distinct().Count());
        Assert.Equal("f00", data.FeatureNames[0]);
        Assert.Equal("f31", data.FeatureNames[^1]);
        Assert.StartsWith("gaussian-mixture(", data.Source);
        Assert.Contains("effect=MeanShift", data.Source);
        Assert.Contains("seed=0", data.Source);
        Assert.All(data.Features, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void SameOptionsGiveIdenticalOutputAndOtherSeedDiffers()
    {
        var options = new GaussianMixtureOptions { Samples = 300, Features = 10, Seed = 42 };
        var a = GaussianMixtureGenerator.Generate(options);
        var b = GaussianMixtureGenerator.Generate(options with { });
        var c = GaussianMixtureGenerator.Generate(options with { Seed = 43 });

        Assert.Equal(a.Features, b.Features);
        Assert.Equal(a.Labels, b.Labels);
        Assert.Equal(a.Groups, b.Groups);
        Assert.Equal(a.SubjectIds, b.SubjectIds);
        Assert.Equal(a.Source, b.Source);

        Assert.NotEqual(a.Features, c.Features);
        Assert.NotEqual(a.Groups, c.Groups);
        Assert.NotEqual(a.Source, c.Source);
    }

    [Theory]
    [InlineData(1000, new[] { 0.5, 0.3, 0.2 }, new[] { 500, 300, 200 })]
    [InlineData(100, new[] { 1 / 3.0, 1 / 3.0, 1 / 3.0 }, new[] { 34, 33, 33 })]
    [InlineData(10, new[] { 0.25, 0.75 }, new[] { 3, 7 })]
    [InlineData(11, new[] { 0.25, 0.25, 0.5 }, new[] { 3, 3, 5 })]
    public void GroupCountsFollowFractionsExactly(int samples, double[] fractions, int[] expected)
    {
        string[] names = [.. Enumerable.Range(0, fractions.Length).Select(i => "g" + i)];
        var data = GaussianMixtureGenerator.Generate(new GaussianMixtureOptions
        {
            Samples = samples,
            Features = 4,
            Groups = names,
            GroupFractions = fractions,
            EffectFeatures = 2,
        });

        Assert.Equal(expected, names.Select(n => data.Groups.Count(g => g == n)).ToArray());
    }

    [Fact]
    public void GroupsAreShuffledNotBlocked()
    {
        var data = GaussianMixtureGenerator.Generate(new GaussianMixtureOptions { Samples = 200, Features = 4, EffectFeatures = 2 });

        Assert.Contains("B", data.Groups.Take(100));
        Assert.Contains("A", data.Groups.Skip(100));
    }

    [Fact]
    public void ClassesAreBalancedOverallAndWithinEachGroup()
    {
        var data = GaussianMixtureGenerator.Generate(new GaussianMixtureOptions
        {
            Samples = 1001,
            Features = 6,
            Classes = 3,
            Groups = ["x", "y", "z"],
            GroupFractions = [0.5, 0.3, 0.2],
            EffectFeatures = 2,
            Seed = 7,
        });

        var overall = Enumerable.Range(0, 3).Select(c => data.Labels.Count(l => l == c)).ToArray();
        Assert.True(overall.Max() - overall.Min() <= 1, string.Join(",", overall));
        Assert.Equal(1001, overall.Sum());
        foreach (var group in new[] { "x", "y", "z" })
        {
            var counts = Enumerable.Range(0, 3)
                .Select(c => Enumerable.Range(0, data.SampleCount).Count(i => data.Groups[i] == group && data.Labels[i] == c))
                .ToArray();
            Assert.True(counts.Max() - counts.Min() <= 1, group + ": " + string.Join(",", counts));
        }
        Assert.Equal(["0", "1", "2"], data.LabelNames);
    }

    [Theory]
    [InlineData(2, 1.5)]
    [InlineData(3, 2.0)]
    public void ClassMeansAreSeparationApart(int classes, double separation)
    {
        var data = GaussianMixtureGenerator.Generate(new GaussianMixtureOptions
        {
            Samples = 30000,
            Features = 16,
            Classes = classes,
            Separation = separation,
            Effect = PlantedEffect.None,
            Seed = 3,
        });

        var means = Enumerable.Range(0, classes).Select(c => Mean(data, i => data.Labels[i] == c)).ToArray();
        for (var a = 0; a < classes; a++)
        {
            for (var b = a + 1; b < classes; b++)
            {
                var distance = Math.Sqrt(means[a].Zip(means[b], (x, y) => (x - y) * (x - y)).Sum());
                Assert.InRange(distance, separation - 0.06, separation + 0.06);
            }
        }
    }

    [Fact]
    public void NullModeHasTheSameDistributionInEveryGroup()
    {
        var options = new GaussianMixtureOptions { Samples = 40000, Features = 12, Effect = PlantedEffect.None, Seed = 5 };
        var data = GaussianMixtureGenerator.Generate(options);

        // Per group and class: 10000 samples, unit variance; 5 standard errors of a difference of two means.
        var tolerance = 5 * Math.Sqrt(2.0 / 10000);
        for (var c = 0; c < 2; c++)
        {
            var a = Mean(data, i => data.Groups[i] == "A" && data.Labels[i] == c);
            var b = Mean(data, i => data.Groups[i] == "B" && data.Labels[i] == c);
            var varA = Variance(data, i => data.Groups[i] == "A" && data.Labels[i] == c);
            var varB = Variance(data, i => data.Groups[i] == "B" && data.Labels[i] == c);
            for (var j = 0; j < data.FeatureCount; j++)
            {
                Assert.True(Math.Abs(a[j] - b[j]) < tolerance, $"class {c}, feature {j}: {a[j]} vs {b[j]}");
                Assert.InRange(varA[j], 0.93, 1.07);
                Assert.InRange(varB[j], 0.93, 1.07);
            }
        }

        // The same check is sensitive: with the default mean shift, group B's class 1 differs on feature 0.
        var shifted = GaussianMixtureGenerator.Generate(options with { Effect = PlantedEffect.MeanShift });
        var sa = Mean(shifted, i => shifted.Groups[i] == "A" && shifted.Labels[i] == 1);
        var sb = Mean(shifted, i => shifted.Groups[i] == "B" && shifted.Labels[i] == 1);
        Assert.True(Math.Abs(sa[0] - sb[0]) > tolerance);
    }

    [Theory]
    [InlineData(1.0, 8, 1)]
    [InlineData(2.5, 3, 0)]
    public void MeanShiftMovesOnlyTheEffectGroupsHigherClassesOnTheFirstFeatures(double size, int k, int effectGroup)
    {
        var data = GaussianMixtureGenerator.Generate(new GaussianMixtureOptions
        {
            Samples = 20000,
            Features = 12,
            EffectSize = size,
            EffectFeatures = k,
            EffectGroup = effectGroup,
            Seed = 11,
        });
        var carrier = effectGroup == 0 ? "A" : "B";
        var other = effectGroup == 0 ? "B" : "A";

        var tolerance = 5 * Math.Sqrt(2.0 / 5000);
        var shiftedClass = Difference(data, carrier, other, 1);
        var baseClass = Difference(data, carrier, other, 0);
        for (var j = 0; j < data.FeatureCount; j++)
        {
            var expected = j < k ? size : 0.0;
            Assert.True(Math.Abs(shiftedClass[j] - expected) < tolerance, $"class 1, feature {j}: {shiftedClass[j]}, expected {expected}");
            Assert.True(Math.Abs(baseClass[j]) < tolerance, $"class 0, feature {j}: {baseClass[j]}");
        }
    }

    [Fact]
    public void EffectModesShareTheBaseDraws()
    {
        var options = new GaussianMixtureOptions { Samples = 400, Features = 10, EffectFeatures = 4, Seed = 9 };
        var none = GaussianMixtureGenerator.Generate(options with { Effect = PlantedEffect.None });
        var shift = GaussianMixtureGenerator.Generate(options with { Effect = PlantedEffect.MeanShift, EffectSize = 0.75 });

        Assert.Equal(none.Labels, shift.Labels);
        Assert.Equal(none.Groups, shift.Groups);
        for (var i = 0; i < none.SampleCount; i++)
        {
            for (var j = 0; j < none.FeatureCount; j++)
            {
                var touched = none.Groups[i] == "B" && none.Labels[i] == 1 && j < 4;
                var delta = shift.Features[i * 10 + j] - (double)none.Features[i * 10 + j];
                Assert.Equal(touched ? 0.75 : 0.0, delta, 1e-5);
            }
        }
    }

    [Fact]
    public void NoiseInflatesTheEffectGroupsVarianceOnTheFirstFeaturesOnly()
    {
        var data = GaussianMixtureGenerator.Generate(new GaussianMixtureOptions
        {
            Samples = 20000,
            Features = 10,
            Effect = PlantedEffect.Noise,
            EffectSize = 1.0,
            EffectFeatures = 4,
            Seed = 13,
        });

        var tolerance = 5 * Math.Sqrt(2.0 / 10000);
        var meanDiff = Difference(data, "B", "A", 1);
        for (var c = 0; c < 2; c++)
        {
            var varA = Variance(data, i => data.Groups[i] == "A" && data.Labels[i] == c);
            var varB = Variance(data, i => data.Groups[i] == "B" && data.Labels[i] == c);
            for (var j = 0; j < data.FeatureCount; j++)
            {
                Assert.InRange(varA[j], 0.9, 1.1);
                if (j < 4)
                {
                    Assert.InRange(varB[j], 1.8, 2.2);
                }
                else
                {
                    Assert.InRange(varB[j], 0.9, 1.1);
                }
            }
        }
        Assert.All(meanDiff, d => Assert.True(Math.Abs(d) < 2 * tolerance, d.ToString()));
    }

    public static TheoryData<string, string> InvalidCases => new()
    {
        { "samples", "Samples" },
        { "classes", "Classes" },
        { "features", "Features" },
        { "classes-above-features", "Classes" },
        { "no-groups", "Groups" },
        { "duplicate-group", "Groups" },
        { "empty-group-name", "Groups" },
        { "fraction-count", "GroupFractions" },
        { "fraction-sum", "GroupFractions" },
        { "fraction-zero", "GroupFractions" },
        { "fraction-negative", "GroupFractions" },
        { "fraction-rounds-to-empty-group", "GroupFractions" },
        { "separation-nan", "Separation" },
        { "separation-negative", "Separation" },
        { "effect-size-infinite", "EffectSize" },
        { "effect-features-too-many", "EffectFeatures" },
        { "effect-features-zero", "EffectFeatures" },
        { "effect-group", "EffectGroup" },
        { "effect-undefined", "Effect" },
    };

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void InvalidOptionsThrowNamingTheOption(string name, string option)
    {
        var valid = new GaussianMixtureOptions();
        var options = name switch
        {
            "samples" => valid with { Samples = 3 },
            "classes" => valid with { Classes = 1 },
            "features" => valid with { Features = 0, EffectFeatures = 0, Effect = PlantedEffect.None },
            "classes-above-features" => valid with { Classes = 5, Features = 4, EffectFeatures = 2 },
            "no-groups" => valid with { Groups = [], Effect = PlantedEffect.None },
            "duplicate-group" => valid with { Groups = ["A", "A"] },
            "empty-group-name" => valid with { Groups = ["A", ""] },
            "fraction-count" => valid with { GroupFractions = [1.0] },
            "fraction-sum" => valid with { GroupFractions = [0.6, 0.6] },
            "fraction-zero" => valid with { GroupFractions = [1.0, 0.0] },
            "fraction-negative" => valid with { GroupFractions = [1.5, -0.5] },
            "fraction-rounds-to-empty-group" => valid with { Samples = 10, GroupFractions = [0.99, 0.01] },
            "separation-nan" => valid with { Separation = double.NaN },
            "separation-negative" => valid with { Separation = -1 },
            "effect-size-infinite" => valid with { EffectSize = double.PositiveInfinity },
            "effect-features-too-many" => valid with { EffectFeatures = 33 },
            "effect-features-zero" => valid with { EffectFeatures = 0 },
            "effect-group" => valid with { EffectGroup = 2 },
            "effect-undefined" => valid with { Effect = (PlantedEffect)7 },
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        var e = Assert.Throws<InvalidInputException>(() => GaussianMixtureGenerator.Generate(options));
        Assert.Contains("option " + option + " ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void EffectOptionsAreNotCheckedInNullMode()
    {
        var data = GaussianMixtureGenerator.Generate(new GaussianMixtureOptions
        {
            Samples = 20,
            Features = 4,
            Groups = ["only"],
            Effect = PlantedEffect.None,
        });

        Assert.All(data.Groups, g => Assert.Equal("only", g));
        Assert.Contains("effect=None", data.Source);
    }

    private static double[] Mean(Dataset data, Func<int, bool> select)
    {
        var sum = new double[data.FeatureCount];
        var n = 0;
        for (var i = 0; i < data.SampleCount; i++)
        {
            if (!select(i))
            {
                continue;
            }
            n++;
            for (var j = 0; j < data.FeatureCount; j++)
            {
                sum[j] += data.Features[i * data.FeatureCount + j];
            }
        }
        Assert.True(n > 0);
        return [.. sum.Select(s => s / n)];
    }

    private static double[] Variance(Dataset data, Func<int, bool> select)
    {
        var mean = Mean(data, select);
        var sum = new double[data.FeatureCount];
        var n = 0;
        for (var i = 0; i < data.SampleCount; i++)
        {
            if (!select(i))
            {
                continue;
            }
            n++;
            for (var j = 0; j < data.FeatureCount; j++)
            {
                var d = data.Features[i * data.FeatureCount + j] - mean[j];
                sum[j] += d * d;
            }
        }
        return [.. sum.Select(s => s / (n - 1))];
    }

    private static double[] Difference(Dataset data, string group, string other, int label)
    {
        var a = Mean(data, i => data.Groups[i] == group && data.Labels[i] == label);
        var b = Mean(data, i => data.Groups[i] == other && data.Labels[i] == label);
        return [.. a.Zip(b, (x, y) => x - y)];
    }
}
