using AutoSpec.Analyse;
using AutoSpec.Permutation;
using AutoSpec.Spectra;
using MathNet.Numerics.LinearAlgebra;

namespace AutoSpec.Tests.Analyse;

/// <summary>
/// The subject-level verdict against brute force: group gradients formed explicitly from the rows of their subjects
/// (MathNet, float64), every relabelling enumerated by hand, the statistic and the p-value recomputed from them.
/// </summary>
public class SubjectLevelComparisonTests
{
    private static Matrix<double> Random(int rows, int cols, int seed, double scale = 1)
    {
        var rng = new Random(seed);
        return Matrix<double>.Build.Dense(rows, cols, (_, _) => (rng.NextDouble() * 2 - 1) * scale);
    }

    /// <summary>One step of a layer: factors of the rows, the subject of every row, and the step's Gram cache.</summary>
    private sealed record Step(Matrix<double> A, Matrix<double> D, int[] RowSubject)
    {
        public GramStep Gram => new(A.ToArray(), D.ToArray(), RowSubject);

        /// <summary>Explicit gradient of the rows of the given subjects.</summary>
        public Matrix<double> Gradient(Func<int, bool> subject)
        {
            var rows = Enumerable.Range(0, RowSubject.Length).Where(r => subject(RowSubject[r])).ToArray();
            var g = Matrix<double>.Build.Dense(A.ColumnCount, D.ColumnCount);
            foreach (int r in rows)
            {
                g += A.Row(r).OuterProduct(D.Row(r));
            }
            return g;
        }

        public int[] Subjects => RowSubject.Distinct().Order().ToArray();
    }

    /// <summary>A step over the given subjects; subject k has 1 + k % 2 rows.</summary>
    private static Step MakeStep(int[] subjects, int seed, Func<int, double>? scale = null)
    {
        var rowSubject = subjects.SelectMany(k => Enumerable.Repeat(k, 1 + k % 2)).ToArray();
        var a = Random(rowSubject.Length, 5, seed);
        for (int r = 0; r < rowSubject.Length; r++)
        {
            a.SetRow(r, a.Row(r) * (scale?.Invoke(rowSubject[r]) ?? 1));
        }
        return new Step(a, Random(rowSubject.Length, 4, seed + 1), rowSubject);
    }

    /// <summary>Reference statistic: mean over steps of metric(B) − metric(A), with explicit gradients.</summary>
    private static double Explicit(IReadOnlyList<Step> steps, Func<int, bool> inB, string metric)
    {
        double sum = 0;
        foreach (var step in steps)
        {
            var subjects = step.Subjects;
            int nb = subjects.Count(inB), na = subjects.Length - nb, n = subjects.Length;
            double Value(Func<int, bool> g, int count) => metric == "sample_rms"
                // Root mean square over the group's subjects of each one's own gradient norm, times N (mean loss).
                ? n * Math.Sqrt(subjects.Where(g).Sum(s => Math.Pow(step.Gradient(x => x == s).FrobeniusNorm(), 2)) / count)
                // Norm of the group's per-sample mean gradient G_g · N / n_g.
                : step.Gradient(g).FrobeniusNorm() * n / count;
            sum += Value(inB, nb) - Value(s => !inB(s), na);
        }
        return sum / steps.Count;
    }

    /// <summary>Reference p: two-sided about the mean over every relabelling (which includes the observed one).</summary>
    private static double ExactP(double observed, IReadOnlyList<double> all)
    {
        double centre = all.Average();
        return all.Count(t => Math.Abs(t - centre) >= Math.Abs(observed - centre) * (1 - 1e-9)) / (double)all.Count;
    }

    private static IEnumerable<int[]> Subsets(int n, int k) =>
        Enumerable.Range(0, 1 << n).Where(m => System.Numerics.BitOperations.PopCount((uint)m) == k)
            .Select(m => Enumerable.Range(0, n).Where(i => (m >> i & 1) == 1).ToArray());

    [Theory]
    [InlineData("frobenius_normalised")]
    [InlineData("sample_rms")]
    public void UnequalGroupsAreTestedAgainstEveryRelabellingAboutTheNullCentre(string metric)
    {
        // Seven subjects, two in group B: the C(7, 2) = 21 relabellings are all enumerated.
        int[] subjects = [0, 1, 2, 3, 4, 5, 6];
        var steps = new[] { MakeStep(subjects, 10), MakeStep(subjects, 20) };
        bool[] observed = [false, true, false, false, false, true, false];
        var result = GramPermutationTest.Run(steps.Select(s => s.Gram).ToList(), observed, metric, permutations: 1000);
        Assert.True(result.Exact);
        Assert.Equal(21, result.Permutations);

        double t0 = Explicit(steps, s => observed[s], metric);
        Assert.Equal(t0, result.Statistic!.Value, 9);
        var all = Subsets(7, 2).Select(b => Explicit(steps, s => b.Contains(s), metric)).ToList();
        Assert.Equal(ExactP(t0, all), result.PValue!.Value, 12);
        Assert.Equal(all.Average(), result.NullMean!.Value, 9);
    }

    [Fact]
    public void TheMeanGradientNormOfASmallGroupIsLargerUnderTheNullAndTheExcessRemovesIt()
    {
        // Pure noise, 2 of 12 subjects in B: the per-sample mean gradient of a small group keeps more noise, so the raw
        // difference B − A is positive on average over relabellings; the excess over that null mean is what is tested.
        int[] subjects = Enumerable.Range(0, 12).ToArray();
        var steps = Enumerable.Range(0, 3).Select(k => MakeStep(subjects, 100 + 10 * k).Gram).ToList();
        var inB = subjects.Select(s => s < 2).ToArray();
        var result = GramPermutationTest.Run(steps, inB, "frobenius_normalised", permutations: 2000);
        Assert.True(result.NullMean > 0.5 * result.NullSd, $"null mean {result.NullMean}, sd {result.NullSd}");
        Assert.Equal(result.Statistic - result.NullMean, result.Excess);
    }

    [Fact]
    public void RunsOnTheSameSubjectsArePooledAsOnePermutationTestOfTheirMeanStatistic()
    {
        // Eight subjects, three in B; two runs whose windows see different subjects (their training folds differ).
        int[] universe = [0, 0, 1, 0, 1, 0, 0, 1];
        int[][] seen = [[0, 1, 2, 3, 4, 5], [2, 3, 4, 5, 6, 7]];
        var runs = seen.Select((subjects, r) => new[] { MakeStep(subjects, 30 + r, s => universe[s] == 1 ? 1.6 : 1), MakeStep(subjects, 40 + r) }).ToArray();
        var relabelling = SubjectRelabelling.Of(universe, 0, 1, "A", "B", permutations: 100, seed: 0);
        Assert.True(relabelling.Exact);
        Assert.Equal(56, relabelling.Count);

        var rows = new List<PermutationRow>();
        for (int r = 0; r < runs.Length; r++)
        {
            // Window subjects are numbered 0, 1, … in order of appearance; windowToUniverse maps them back.
            var windowToUniverse = seen[r];
            var local = runs[r].Select(s => new Step(s.A, s.D, s.RowSubject.Select(x => Array.IndexOf(windowToUniverse, x)).ToArray()).Gram).ToList();
            var groups = windowToUniverse.Select(u => universe[u]).ToArray();
            var pair = Assert.Single(GramPermutationTest.RunPairs(local, groups, windowToUniverse, (_, _) => relabelling, 2,
                "frobenius_normalised", shared: true));
            rows.Add(new PermutationRow($"run{r}", "fc", 0, 0, 1, "frobenius_normalised", pair.Result)
            {
                GroupA = "A",
                GroupB = "B",
                UniverseA = pair.UniverseA,
                UniverseB = pair.UniverseB,
                Source = "recorded",
            });
        }
        var test = Assert.Single(SubjectLevelComparison.Run(rows, new GroupComparisonOptions()));
        Assert.Equal(2, test.Runs);
        Assert.Equal(8, test.SubjectsA + test.SubjectsB);

        double Mean(int[] b) => runs.Average(steps => Explicit(steps, s => b.Contains(s), "frobenius_normalised"));
        int[] observedB = [2, 4, 7];
        double t0 = Mean(observedB);
        var all = Subsets(8, 3).Select(Mean).ToList();
        Assert.Equal(t0, test.Statistic!.Value, 9);
        Assert.Equal(ExactP(t0, all), test.P!.Value, 12);
        Assert.Equal(1, test.FamilySize);
    }

    [Fact]
    public void RunsWithoutSharedRelabellingsAreNotPooled()
    {
        var result = new PermutationResult(0.1, 0.5, 3, false, 1) { Null = [0.0, 0.2, -0.1], NullMean = 0.03, NullSd = 0.15 };
        var rows = new[] { "r1", "r2" }.Select(r => new PermutationRow(r, "fc", 0, 0, 1, "sample_rms", result)
        {
            GroupA = "A",
            GroupB = "B",
        }).ToList();
        var tests = SubjectLevelComparison.Run(rows, new GroupComparisonOptions());
        Assert.Equal(2, tests.Count);
        Assert.All(tests, t =>
        {
            Assert.Equal(1, t.Runs);
            Assert.Contains("tested alone", t.Note);
        });
    }

    [Fact]
    public void ASignChangeIsTwoFindings()
    {
        var findings = FindingSummary.Summarise([
            SignificantTest(SubjectTestRow.OneWindow, 0, 0.3), SignificantTest(SubjectTestRow.OneWindow, 10, 0.2), SignificantTest(SubjectTestRow.OneWindow, 20, -0.4)]);
        Assert.Equal(2, findings.Count);
        var higher = findings.Single(f => f.Higher);
        var lower = findings.Single(f => !f.Higher);
        Assert.Equal([0, 1], higher.Epochs);
        Assert.Equal([2], lower.Epochs);
        Assert.Contains("is higher in group B than in group A, beyond what random groups of the same sizes show", higher.Sentence);
        Assert.Contains("n = 400 subjects (300 A, 100 B)", higher.Sentence);
        Assert.Contains("in epoch 2", lower.Sentence);
        Assert.Contains("in epochs 0–1,", higher.Sentence);
    }

    [Fact]
    public void WholeRunTestIsNamedNotListedAsAnEpoch()
    {
        var findings = FindingSummary.Summarise([
            SignificantTest(SubjectTestRow.OneWindow, 30, -0.3), SignificantTest(SubjectTestRow.OneWindow, 40, -0.2), SignificantTest(SubjectTestRow.OneWindow, 60, -0.2),
            SignificantTest(SubjectTestRow.WholeRun, 0, -0.5)]);
        var finding = Assert.Single(findings);
        Assert.Equal([3, 4, 6], finding.Epochs);
        Assert.True(finding.WholeRun);
        Assert.Equal("in epochs 3–4, 6 and over the whole run", finding.When);

        var onlyWholeRun = Assert.Single(FindingSummary.Summarise([SignificantTest(SubjectTestRow.WholeRun, 0, 0.5)]));
        Assert.Empty(onlyWholeRun.Epochs);
        Assert.Contains("In layer fc1, over the whole run, the", onlyWholeRun.Sentence);
        Assert.Contains("strongest over the whole run:", onlyWholeRun.Sentence);
    }

    [Theory]
    [InlineData(new int[0], "")]
    [InlineData(new[] { 4 }, "4")]
    [InlineData(new[] { 0, 1, 3, 4, 5, 9 }, "0–1, 3–5, 9")]
    public void EpochsAreWrittenAsRanges(int[] epochs, string expected) => Assert.Equal(expected, FindingSummary.Ranges(epochs));

    /// <summary>A significant test of fc1's sample_rms, A (300) vs B (100), in windows of 10 steps per epoch.</summary>
    private static SubjectTestRow SignificantTest(string window, long first, double excess) => new()
    {
        Layer = "fc1",
        Metric = "sample_rms",
        Window = window,
        GroupA = "A",
        GroupB = "B",
        FirstStep = first,
        LastStep = window == SubjectTestRow.WholeRun ? 99 : first + 9,
        Epoch = (int)(first / 10),
        Excess = excess,
        Z = excess * 10,
        P = 0.001,
        PAdjusted = 0.004,
        Significant = true,
        SubjectsA = 300,
        SubjectsB = 100,
        Runs = 1,
        Permutations = 1000,
        FamilySize = 5,
    };
}
