using AutoSpec.Data;
using AutoSpec.Training;

namespace AutoSpec.Tests.Data;

public sealed class SubjectKFoldTests
{
    /// <summary>60 subjects with 1–3 sessions each; label = subject % 3 == 0, group alternates A/B by subject.</summary>
    private static Dataset Sessions()
    {
        var subjects = new List<string>();
        var labels = new List<int>();
        var groups = new List<string>();
        for (var s = 0; s < 60; s++)
        {
            for (var k = 0; k <= s % 3; k++)
            {
                subjects.Add($"sub-{s:00}");
                labels.Add(s % 3 == 0 ? 1 : 0);
                groups.Add(s % 2 == 0 ? "A" : "B");
            }
        }
        var n = subjects.Count;
        return new Dataset(Enumerable.Range(0, n).Select(i => (float)i).ToArray(), 1, [.. labels], ["0", "1"], groups,
            ["x"], subjects, "test");
    }

    [Fact]
    public void SubjectsNeverCrossTheSplitAndFoldsPartitionTheSamples()
    {
        var data = Sessions();
        var folds = SubjectKFold.Create(data, 5, seed: 3);
        var validated = new List<int>();
        for (var f = 0; f < 5; f++)
        {
            var (train, validation) = folds.Split(f);
            Assert.Equal(data.SampleCount, train.Length + validation.Length);
            var trainSubjects = train.Select(i => data.SubjectIds[i]).ToHashSet();
            Assert.DoesNotContain(validation, i => trainSubjects.Contains(data.SubjectIds[i]));
            Assert.All(validation, i => Assert.Equal(f, folds.FoldOf(data.SubjectIds[i])));
            validated.AddRange(validation);
        }
        Assert.Equal(Enumerable.Range(0, data.SampleCount), validated.Order());
    }

    [Fact]
    public void EveryFoldGetsItsShareOfEachClassAndGroup()
    {
        var data = Sessions();
        var folds = SubjectKFold.Create(data, 4, seed: 1, stratifyByGroup: true);
        var perFold = folds.FoldOfSubject.CountBy(f => f).Select(p => p.Value).ToArray();
        Assert.True(perFold.Max() - perFold.Min() <= 1);
        // Subjects per fold and (label, group) stratum: 60 subjects, strata of 10 and 20, so 2–3 or 5 per fold.
        var strata = folds.Subjects.Select((s, i) => (Stratum: (int.Parse(s[4..]) % 3 == 0, int.Parse(s[4..]) % 2), Fold: folds.FoldOfSubject[i]));
        foreach (var stratum in strata.GroupBy(x => x.Stratum))
        {
            var counts = Enumerable.Range(0, 4).Select(f => stratum.Count(x => x.Fold == f)).ToArray();
            Assert.True(counts.Max() - counts.Min() <= 1, $"stratum {stratum.Key}: {string.Join(",", counts)}");
        }
    }

    [Fact]
    public void SameSeedSameFoldsOtherSeedOtherFolds()
    {
        var data = Sessions();
        var a = SubjectKFold.Create(data, 5, 7).Assignment;
        var b = SubjectKFold.Create(data, 5, 7).Assignment;
        var c = SubjectKFold.Create(data, 5, 8).Assignment;
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(60, a.Count);
        var (train, validation) = SubjectKFold.Split(data, 5, 2, 7);
        Assert.Equal(SubjectKFold.Create(data, 5, 7).Split(2).Train, train);
        Assert.Equal(SubjectKFold.Create(data, 5, 7).Split(2).Validation, validation);
    }

    [Fact]
    public void BadFoldCountsAreErrors()
    {
        var data = Sessions();
        Assert.Contains("at least 2", Assert.Throws<ArgumentOutOfRangeException>(() => SubjectKFold.Create(data, 1, 0)).Message);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => SubjectKFold.Create(data, 61, 0));
        Assert.Equal("folds", e.ParamName);
        Assert.Contains("exceeds the number of subjects (60)", e.Message);
        Assert.Contains("0..4", Assert.Throws<ArgumentOutOfRangeException>(() => SubjectKFold.Create(data, 5, 0).Split(5)).Message);
        Assert.NotEmpty(SubjectKFold.Create(data, 25, 0, stratifyByGroup: true).Warnings); // strata of 10 < 25 folds
    }

    [Fact]
    public void StandardiserUsesTrainingSamplesOnly()
    {
        // Training samples 0..3 have mean 2.5 and population sd √1.25 in feature 0; sample 4 is a far outlier that a
        // leaky fit would pull the mean towards.
        float[] x = [1, 10, 2, 10, 3, 10, 4, 10, 1000, -5];
        var data = new Dataset(x, 2, [0, 1, 0, 1, 0], ["0", "1"], ["A", "A", "A", "A", "A"], ["a", "b"],
            ["s1", "s2", "s3", "s4", "s5"], "test");

        var scaler = Standardiser.Fit(data, [0, 1, 2, 3]);
        var z = scaler.Transform(data.Features);

        Assert.Equal(2.5, scaler.Mean[0], 12);
        Assert.Equal(Math.Sqrt(1.25), scaler.StandardDeviation[0], 12);
        Assert.Equal(1.0, scaler.StandardDeviation[1]); // constant in training: centred only
        Assert.Equal((float)((1000 - 2.5) / Math.Sqrt(1.25)), z[8], 3);
        Assert.Equal(-15f, z[9]);
        Assert.Equal(0.0, z.Where((_, k) => k < 8 && k % 2 == 0).Select(v => (double)v).Sum(), 5);
    }

    [Fact]
    public void PerChannelAndGlobalScopesPool()
    {
        // Samples of shape [2 channels, 2 time points].
        float[] x = [0, 2, 10, 10, 4, 6, 10, 30];
        var data = new Dataset(x, 4, [0, 1], ["0", "1"], ["A", "A"], ["a", "b", "c", "d"], ["s1", "s2"], "t", [2, 2]);

        var channel = Standardiser.Fit(data, [0, 1], StandardiseScope.PerChannel);
        var global = Standardiser.Fit(data, [0, 1], StandardiseScope.Global);

        Assert.Equal([3.0, 15.0], channel.Mean);
        Assert.Equal(Math.Sqrt(5), channel.StandardDeviation[0], 12);
        Assert.Equal([9.0], global.Mean);
    }
}
