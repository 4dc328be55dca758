using AutoSpec.Capture;
using AutoSpec.Introspection;
using AutoSpec.Partition;
using AutoSpec.Permutation;
using AutoSpec.Record;
using AutoSpec.Spectra;
using AutoSpec.Tests.Support;
using MathNet.Numerics.LinearAlgebra;
using static TorchSharp.torch;

namespace AutoSpec.Tests.Permutation;

/// <summary>
/// The online permutation test (run --permutations) against independent math: group gradients formed explicitly from
/// the masked rows, their SVD by MathNet, and every relabelling enumerated by hand.
/// </summary>
public class OnlinePermutationTests
{
    /// <summary>One step of one layer: float32 factors, the batch sample of every row, and group/subject per sample.</summary>
    private sealed record Step(float[,] A, float[,] Delta, int[] RowSample, int[] SampleSubject, int[] SampleGroup);

    /// <summary>
    /// Eight subjects (groups 0,0,0,0,1,1,1,1 unless given); odd subjects have three rows (more than min(p, q) = 2,
    /// so they are compressed), even ones one. Step 2 leaves subject 7 out of the batch.
    /// </summary>
    private static List<Step> Steps(int p, int q, int count, int seed, int[]? groups = null, Func<int, double>? groupScale = null)
    {
        groups ??= [0, 0, 0, 0, 1, 1, 1, 1];
        var rng = new Random(seed);
        var steps = new List<Step>();
        for (int s = 0; s < count; s++)
        {
            var subjects = Enumerable.Range(0, 8).Where(k => !(s == 2 && k == 7)).ToArray();
            var rowSample = subjects.SelectMany((k, i) => Enumerable.Repeat(i, k % 2 == 1 ? 3 : 1)).ToArray();
            int rows = rowSample.Length;
            var a = new float[rows, p];
            var d = new float[rows, q];
            for (int r = 0; r < rows; r++)
            {
                double scale = groupScale?.Invoke(groups[subjects[rowSample[r]]]) ?? 1;
                for (int j = 0; j < p; j++)
                {
                    a[r, j] = (float)((rng.NextDouble() * 2 - 1) * scale);
                }
                for (int j = 0; j < q; j++)
                {
                    d[r, j] = (float)(rng.NextDouble() * 2 - 1);
                }
            }
            steps.Add(new Step(a, d, rowSample, subjects, subjects.Select(k => groups[k]).ToArray()));
        }
        return steps;
    }

    private static LayerFactors Factors(Step s) =>
        new("fc", "linear", Tensor2(s.A), Tensor2(s.Delta), s.RowSample);

    private static Tensor Tensor2(float[,] m) =>
        tensor(m.Cast<float>().ToArray(), [m.GetLength(0), m.GetLength(1)]);

    /// <summary>Reference: σ(A_gᵀΔ_g) of the rows whose subject is in the group, by MathNet SVD in float64.</summary>
    private static double[] ExplicitSigma(Step s, Func<int, bool> subjectInGroup)
    {
        var rows = Enumerable.Range(0, s.RowSample.Length).Where(r => subjectInGroup(s.SampleSubject[s.RowSample[r]])).ToArray();
        var a = Matrix<double>.Build.Dense(rows.Length, s.A.GetLength(1), (i, j) => s.A[rows[i], j]);
        var d = Matrix<double>.Build.Dense(rows.Length, s.Delta.GetLength(1), (i, j) => s.Delta[rows[i], j]);
        return (a.Transpose() * d).Svd(computeVectors: false).S.ToArray();
    }

    /// <summary>Reference statistic: mean over steps of metric(B) − metric(A), spectra by explicit SVD.</summary>
    private static double? ExplicitStatistic(List<Step> steps, Func<int, int> subjectGroup, int a, int b, string metric)
    {
        double sum = 0;
        int used = 0;
        foreach (var s in steps)
        {
            double? Value(int g)
            {
                int n = s.SampleSubject.Count(k => subjectGroup(k) == g);
                if (n == 0)
                {
                    return null;
                }
                var summary = SpectrumSummary.Of(ExplicitSigma(s, k => subjectGroup(k) == g), 5);
                double normaliser = (double)s.SampleSubject.Length / n;
                return metric == "frobenius_normalised" ? summary.Frobenius * normaliser : summary.Sigma1 * normaliser;
            }
            if (Value(b) is double vb && Value(a) is double va)
            {
                sum += vb - va;
                used++;
            }
        }
        return used == 0 ? null : sum / used;
    }

    /// <summary>Runs the online path (PermutationWindow → RunRecorder → permutations.parquet) and reads the table back.</summary>
    private static Dictionary<string, Array> Online(List<Step> steps, IntrospectionOptions options, IReadOnlyList<string> groups)
    {
        using var tmp = new TempFolder();
        var recorder = TestRecorder.Start(tmp.Path, options);
        var window = new PermutationWindow(options, groups);
        for (int k = 0; k < steps.Count; k++)
        {
            using var f = Factors(steps[k]);
            window.Add(new StepInfo(0, k, steps[k].SampleSubject.Length), f, steps[k].SampleGroup, steps[k].SampleSubject);
        }
        Assert.Equal(steps.Count, window.HeldSteps);
        window.Close(recorder);
        Assert.Equal(0, window.HeldSteps);
        recorder.Complete();
        return ParquetTableReader.ReadAsync([Path.Combine(tmp.Path, "permutations.parquet")]).GetAwaiter().GetResult();
    }

    [Theory]
    [InlineData(3, 2)]
    [InlineData(2, 5)]
    public void BlocksUnderTheObservedLabelsGiveTheRecordedSpectraAndTheExplicitSvd(int p, int q)
    {
        var step = Steps(p, q, 1, seed: p * 10 + q)[0];
        using var factors = Factors(step);
        var (gram, rows) = SubjectGram.Build(factors, step.SampleSubject, 512);
        Assert.NotNull(gram);
        // Four subjects of three rows are compressed to min(p, q) = 2 rows each.
        Assert.Equal(4 + 4 * 2, rows);
        var partition = RowPartition.Create(step.RowSample, step.SampleGroup, ["A", "B"]);
        var recorded = new GroupSpectraCalculator(SpectrumRoute.Auto, SpectrumQuantities.Grad).Compute(factors, partition)
            .ToDictionary(s => s.Group.Group, s => s.Of(SpectrumQuantities.Grad)!);
        for (int g = 0; g < 2; g++)
        {
            var inGroup = Enumerable.Range(0, 8).Select(k => step.SampleGroup[Array.IndexOf(step.SampleSubject, k)] == g).ToArray();
            var (sigma, subjects) = gram.Group(inGroup);
            var reference = ExplicitSigma(step, k => inGroup[k]);
            var fromRun = recorded[g == 0 ? "A" : "B"];
            Assert.Equal(4, subjects);
            Assert.Equal(Math.Min(p, q), sigma.Length);
            for (int k = 0; k < sigma.Length; k++)
            {
                Assert.Equal(reference[k], sigma[k], 1e-9 * reference[0]);
                Assert.Equal(fromRun[k], sigma[k], 1e-5 * reference[0]);
            }
            Assert.Equal(reference.Sum(x => x * x), gram.FrobeniusSquared(inGroup), 1e-9 * reference[0] * reference[0]);
        }
    }

    [Theory]
    [InlineData("sigma1_normalised")]
    [InlineData("frobenius_normalised")]
    public void OnlinePValueEqualsTheShareOfAllSeventyRelabellingsByExplicitSvd(string metric)
    {
        var steps = Steps(3, 2, 3, seed: 5);
        var options = new IntrospectionOptions { Permutations = 100, PermutationMetric = metric };
        var table = Online(steps, options, ["A", "B"]);

        int[] observed = [0, 0, 0, 0, 1, 1, 1, 1];
        double t0 = ExplicitStatistic(steps, k => observed[k], 0, 1, metric)!.Value;
        int extreme = 0, total = 0;
        for (int mask = 0; mask < 256; mask++)
        {
            if (System.Numerics.BitOperations.PopCount((uint)mask) != 4)
            {
                continue;
            }
            total++;
            double t = ExplicitStatistic(steps, k => (mask >> k) & 1, 0, 1, metric)!.Value;
            if (Math.Abs(t) >= Math.Abs(t0) * (1 - 1e-9))
            {
                extreme++;
            }
        }
        Assert.Equal(70, total);
        Assert.Single((string?[])table["run"]);
        Assert.Equal(t0, ((double?[])table["statistic"])[0]!.Value, 1e-9 * Math.Abs(t0));
        Assert.Equal((double)extreme / total, ((double?[])table["p"])[0]!.Value, 12);
        Assert.Equal(70, ((int?[])table["permutations"])[0]);
        Assert.True(((bool?[])table["exact"])[0]);
        Assert.Equal(3, ((int?[])table["steps"])[0]);
        Assert.Equal(0L, ((long?[])table["first_step"])[0]);
        Assert.Equal(2L, ((long?[])table["last_step"])[0]);
        Assert.Equal(4, ((int?[])table["subjects_b"])[0]);
    }

    [Fact]
    public void ThreeGroupsGiveEveryPairWithItsOwnSubjects()
    {
        int[] groups = [0, 0, 0, 1, 1, 1, 2, 2];
        var steps = Steps(3, 2, 2, seed: 9, groups);
        var table = Online(steps, new IntrospectionOptions { Permutations = 200, PermutationMetric = "frobenius_normalised" }, ["A", "B", "C"]);
        var pairs = ((string?[])table["group_a"]).Zip((string?[])table["group_b"], (a, b) => $"{a}-{b}").ToList();
        Assert.Equal(["A-B", "A-C", "B-C"], pairs);
        Assert.Equal([3, 3, 3], (int?[])table["subjects_a"]);
        Assert.Equal([3, 2, 2], (int?[])table["subjects_b"]);
        // A–C keeps only those five subjects: C(5, 2) = 10 relabellings, all enumerated.
        Assert.Equal(10, ((int?[])table["permutations"])[1]);
        Assert.All((double?[])table["p"], p => Assert.InRange(p!.Value, 0, 1));
        double t0 = ExplicitStatistic(steps, k => groups[k], 0, 2, "frobenius_normalised")!.Value;
        Assert.Equal(t0, ((double?[])table["statistic"])[1]!.Value, 1e-9 * Math.Abs(t0));
    }

    /// <summary>Random Gram steps of 16 one-row subjects; group B's inputs scaled by <paramref name="scale"/>.</summary>
    private static List<GramStep> Window(int seed, bool[] inB, double scale)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, 4).Select(_ =>
        {
            var a = new double[16, 6];
            var d = new double[16, 5];
            for (int r = 0; r < 16; r++)
            {
                for (int j = 0; j < 6; j++)
                {
                    a[r, j] = (rng.NextDouble() * 2 - 1) * (inB[r] ? scale : 1);
                }
                for (int j = 0; j < 5; j++)
                {
                    d[r, j] = rng.NextDouble() * 2 - 1;
                }
            }
            return new GramStep(a, d, Enumerable.Range(0, 16).ToArray());
        }).ToList();
    }

    [Fact]
    public void NullLabelsGiveRoughlyUniformPAndAPlantedEffectGivesSmallP()
    {
        // Seeded throughout: the check is deterministic and cannot flake.
        var nullP = new List<double>();
        var plantedP = new List<double>();
        for (int w = 0; w < 40; w++)
        {
            var labels = new Random(1000 + w);
            var inB = Enumerable.Range(0, 16).Select(i => i % 2 == 1).OrderBy(_ => labels.Next()).ToArray();
            nullP.Add(GramPermutationTest.Run(Window(w, inB, 1.0), inB, "frobenius_normalised", 199, seed: w).PValue!.Value);
            if (w < 10)
            {
                plantedP.Add(GramPermutationTest.Run(Window(w, inB, 2.5), inB, "frobenius_normalised", 199, seed: w).PValue!.Value);
            }
        }
        // Under the null: 2 of 40 expected below 0.05 (P(≥ 7) < 0.003 for Binomial(40, 0.05)); mean near 1/2.
        Assert.True(nullP.Count(p => p < 0.05) <= 6, string.Join(", ", nullP));
        Assert.InRange(nullP.Average(), 0.35, 0.65);
        Assert.True(nullP.Count(p => p > 0.5) >= 12, string.Join(", ", nullP));
        Assert.All(plantedP, p => Assert.True(p <= 0.01, $"planted p = {p}"));
    }

    [Fact]
    public async Task MemoryIsReleasedWhenAWindowClosesAndLayersOverTheRowLimitAreReportedUntested()
    {
        using var tmp = new TempFolder();
        var options = new IntrospectionOptions { Permutations = 20, PermutationWindow = 2, PermutationMaxRows = 10, PermutationMetric = "frobenius_normalised" };
        var recorder = TestRecorder.Start(tmp.Path, options);
        var window = new PermutationWindow(options, ["A", "B"]);
        var steps = Steps(3, 2, 2, seed: 1);
        for (int w = 0; w < 3; w++)
        {
            for (int k = 0; k < 2; k++)
            {
                using var f = Factors(steps[k]);
                window.Add(new StepInfo(0, 2 * w + k, 8), f, steps[k].SampleGroup, steps[k].SampleSubject);
            }
            Assert.Equal(0, window.HeldSteps);
            Assert.Equal((long)w, window.WindowOf(new StepInfo(0, 2 * w + 1, 8)));
            window.Close(recorder);
            Assert.Equal(0, window.HeldSubjects);
        }
        recorder.Complete();
        var table = await ParquetTableReader.ReadAsync([Path.Combine(tmp.Path, "permutations.parquet")]);
        Assert.Equal(3, table["run"].Length);
        Assert.All((double?[])table["p"], p => Assert.Null(p));
        Assert.All((string?[])table["note"], n => Assert.Contains("exceed permutation_max_rows = 10", n));
    }

    /// <summary>
    /// A window written half-way (as a checkpoint does) and read into a new window gives the same table as the window
    /// that never stopped: same blocks bit for bit, subjects (one of them mixed), layer order and too-many-rows flag.
    /// </summary>
    [Fact]
    public async Task AWindowWrittenHalfWayAndReadBackRecordsTheSameTable()
    {
        var options = new IntrospectionOptions { Permutations = 40, PermutationMaxRows = 14, PermutationMetric = "frobenius_normalised" };
        var small = Steps(3, 2, 4, seed: 3);
        var big = Steps(6, 6, 4, seed: 4);
        // Subject 0 is in group B at step 1: a mixed subject, left out with a note.
        small[1] = small[1] with { SampleGroup = [1, .. small[1].SampleGroup[1..]] };
        big[1] = big[1] with { SampleGroup = small[1].SampleGroup };

        async Task<Dictionary<string, Array>> Table(bool writeAndRead)
        {
            using var tmp = new TempFolder();
            var recorder = TestRecorder.Start(tmp.Path, options);
            var window = new PermutationWindow(options, ["A", "B"]);
            for (int k = 0; k < 4; k++)
            {
                if (writeAndRead && k == 2)
                {
                    using var stream = new MemoryStream();
                    using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
                    {
                        window.Write(w);
                    }
                    window = new PermutationWindow(options, ["A", "B"]);
                    stream.Position = 0;
                    window.Read(new BinaryReader(stream));
                    Assert.Equal(2, window.HeldSteps);
                }
                // "big" has 16 rows per step (rank 6: no compression), over the limit of 14; "fc" 12.
                foreach (var (name, step) in new[] { ("big", big[k]), ("fc", small[k]) })
                {
                    using var f = new LayerFactors(name, "linear", Tensor2(step.A), Tensor2(step.Delta), step.RowSample);
                    window.Add(new StepInfo(0, k, step.SampleSubject.Length), f, step.SampleGroup, step.SampleSubject);
                }
            }
            window.Close(recorder);
            recorder.Complete();
            return await ParquetTableReader.ReadAsync([Path.Combine(tmp.Path, "permutations.parquet")]);
        }

        var expected = await Table(false);
        var actual = await Table(true);
        Assert.Equal("big,fc", string.Join(",", (string?[])expected["layer"]));
        Assert.Contains("exceed permutation_max_rows", ((string?[])expected["note"])[0]);
        Assert.Contains("1 subject with samples in several groups", ((string?[])expected["note"])[1]);
        Assert.NotNull(((double?[])expected["p"])[1]);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var column in expected.Keys)
        {
            Assert.True(expected[column].Cast<object?>().SequenceEqual(actual[column].Cast<object?>()), $"{column} differs");
        }
    }

    [Fact]
    public void AWindowOfMoreGroupsThanTheRunHasIsRefused()
    {
        var options = new IntrospectionOptions { Permutations = 10 };
        var window = new PermutationWindow(options, ["A", "B"]);
        var step = Steps(3, 2, 1, seed: 5)[0];
        using (var f = Factors(step))
        {
            window.Add(new StepInfo(0, 0, 8), f, step.SampleGroup, step.SampleSubject);
        }
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            window.Write(w);
        }
        stream.Position = 0;
        Assert.Throws<InvalidDataException>(() => new PermutationWindow(options, ["A"]).Read(new BinaryReader(stream)));
    }

    [Fact]
    public void AGramStepListingASubjectTwiceIsCorruptData()
    {
        // Two rows of subjects 0 and 1; the bytes then say subject 0 twice (a damaged checkpoint). Layout of
        // GramStep.Write: n, n row subjects, rank, batch samples, count, then (subject, samples) pairs.
        var step = new GramStep(new double[,] { { 1, 0 }, { 0, 1 } }, new double[,] { { 1 }, { 2 } }, [0, 1]);
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            step.Write(w);
        }
        var bytes = stream.ToArray();
        int secondPair = 4 + (2 * 4) + 4 + 4 + 4 + 8;
        Assert.Equal(1, BitConverter.ToInt32(bytes, secondPair));
        BitConverter.GetBytes(0).CopyTo(bytes, secondPair);

        var error = Assert.Throws<InvalidDataException>(() => GramStep.Read(new BinaryReader(new MemoryStream(bytes))));
        Assert.Contains("subject 0 twice", error.Message);
    }

    [Theory]
    [InlineData(-1, null, "frobenius_normalised", "Introspection.Permutations")]
    [InlineData(10, 0, "frobenius_normalised", "Introspection.PermutationWindow")]
    [InlineData(10, null, "auc", "Introspection.PermutationMetric")]
    public void BadOptionsAreRefusedNamingTheOption(int permutations, int? window, string metric, string option)
    {
        var options = new IntrospectionOptions { Permutations = permutations, PermutationWindow = window, PermutationMetric = metric };
        var error = Assert.ThrowsAny<ArgumentException>(options.Validate);
        Assert.Equal(option, error.ParamName);
        Assert.StartsWith(option, error.Message);
        Assert.DoesNotContain("--", error.Message);
    }

    [Fact]
    public async Task RunRecordsWindowsOfStepsAndAnalyzeUsesThemAsOneFamily()
    {
        using var tmp = new TempFolder();
        var run = tmp.Combine("run");
        // 300 samples, 5 folds: 240 training samples, 8 steps per epoch, 16 steps in windows of 5 steps.
        var (exit, _, err) = CliRunner.Run("run", "--out", run, "--epochs", "2", "--synth-samples", "300", "--batch-size", "32",
            "--quantities", "grad", "--threads", "1", "--permutations", "50", "--permutation-window", "5", "--permutation-metric", "frobenius_normalised");
        Assert.True(exit == 0, err);
        var table = await ParquetTableReader.ReadAsync([Path.Combine(run, "permutations.parquet")]);
        Assert.Equal(12, table["run"].Length);
        Assert.Equal([0L, 5L, 10L, 15L], ((long?[])table["first_step"]).Distinct().Order());
        Assert.Equal([4L, 9L, 14L, 15L], ((long?[])table["last_step"]).Distinct().Order());
        Assert.Contains("\"permutations_rows\": 12", File.ReadAllText(Path.Combine(run, "manifest.json")));

        (exit, _, err) = CliRunner.Run("analyze", run, "--out", tmp.Combine("out"));
        Assert.True(exit == 0, err);
        var lines = File.ReadAllLines(tmp.Combine("out", "permutation_tests.csv"));
        var header = lines[0].Split(',').ToList();
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(12, rows.Count);
        Assert.All(rows, r => Assert.Equal("recorded", r[header.IndexOf("source")]));
        Assert.All(rows, r => Assert.Equal("A", r[header.IndexOf("group_a")]));
        // The verdict: 12 window tests and 3 whole-run tests (one per layer), one family.
        var tests = await ParquetTableReader.ReadAsync([tmp.Combine("out", "group_tests.parquet")]);
        Assert.Equal(15, tests["layer"].Length);
        Assert.Equal(3, ((string?[])tests["window"]).Count(w => w == "all"));
        Assert.All((int?[])tests["family_size"], f => Assert.Equal(15, f));
    }
}
