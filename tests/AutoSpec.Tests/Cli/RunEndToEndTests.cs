using System.Diagnostics;
using System.Text.Json;
using AutoSpec.Files;
using AutoSpec.Record;
using AutoSpec.Tests.Support;
using static TorchSharp.torch;

namespace AutoSpec.Tests.Cli;

[Collection("cli")]
public class RunEndToEndTests
{
    private static readonly string[] Small = ["--epochs", "2", "--synth-samples", "300", "--batch-size", "32"];

    private static JsonElement Manifest(string dir) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json"))).RootElement;

    [Fact]
    public async Task DefaultJobWritesACompleteRunFolder()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Combine("run");
        var (exit, output, err) = CliRunner.Run(["run", "--out", dir, .. Small]);
        Assert.True(exit == 0, err);
        Assert.Contains("run complete", output);
        Assert.Equal("complete", Manifest(dir).GetProperty("status").GetString());
        Assert.False(Directory.Exists(Path.Combine(dir, "parts")), "part files are merged at the end");
        Assert.Empty(Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories));

        var spectra = await ParquetColumns.ReadAsync(Path.Combine(dir, "spectra.parquet"));
        string[] expectedColumns = ["run", "fold", "seed", "epoch", "step", "layer", "layer_kind", "group", "group_size", "quantity", "k", "sigma"];
        Assert.All(expectedColumns, c => Assert.Contains(c, spectra.Keys));
        Assert.Equal(["fc1", "fc2", "fc3"], spectra["layer"].Distinct().Order());
        Assert.Equal(["A", "B", "all"], spectra["group"].Cast<string>().Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(["act", "delta", "grad", "weight"], spectra["quantity"].Distinct().Order());
        int stepsPerEpoch = (int)Math.Ceiling(240 / 32.0);
        var gradSteps = spectra["step"].Where((_, i) => (string?)spectra["quantity"][i] == "grad").Distinct().Count();
        Assert.Equal(2 * stepsPerEpoch, gradSteps);
        Assert.All(spectra["sigma"], s => Assert.True((double)s! >= 0 && double.IsFinite((double)s!)));

        var metrics = await ParquetColumns.ReadAsync(Path.Combine(dir, "metrics.parquet"));
        Assert.Contains("effective_rank", metrics.Keys);
        Assert.Contains("stable_rank", metrics.Keys);
        Assert.Contains(metrics["spectral_decay"], v => v is double d && d < 0);
        var curves = await ParquetColumns.ReadAsync(Path.Combine(dir, "curves.parquet"));
        Assert.Equal(["train", "train_step", "validation"], curves["split"].Distinct().Order());
        Assert.Contains(curves["auc"], a => a is double);
    }

    [Fact]
    public async Task GroupSizesInEachStepMatchTheBatchAndSumToIt()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Combine("run");
        Assert.Equal(0, CliRunner.Run(["run", "--out", dir, "--quantities", "grad", .. Small]).Exit);
        var m = await ParquetColumns.ReadAsync(Path.Combine(dir, "metrics.parquet"));
        var rows = Enumerable.Range(0, m["step"].Count)
            .Where(i => (string?)m["layer"][i] == "fc1")
            .Select(i => (Step: (long)m["step"][i]!, Group: (string)m["group"][i]!, Size: (int)m["group_size"][i]!))
            .ToList();
        foreach (var step in rows.GroupBy(r => r.Step))
        {
            int all = step.Single(r => r.Group == "all").Size;
            Assert.Equal(all, step.Where(r => r.Group != "all").Sum(r => r.Size));
        }
    }

    [Fact]
    public async Task SameConfigurationAndSeedGiveIdenticalTablesAndAnotherSeedDoesNot()
    {
        using var tmp = new TempFolder();
        string[] args = [.. Small, "--run-id", "r"];
        Assert.Equal(0, CliRunner.Run(["run", "--out", tmp.Combine("a"), .. args]).Exit);
        // The second run repeats the first from its manifest alone.
        Assert.Equal(0, CliRunner.Run("run", "--config", tmp.Combine("a", "manifest.json"), "--out", tmp.Combine("b")).Exit);
        Assert.Equal(0, CliRunner.Run(["run", "--out", tmp.Combine("c"), "--seed", "1", .. args]).Exit);
        foreach (var table in new[] { "spectra", "metrics", "curves" })
        {
            var a = await ParquetColumns.ReadAsync(tmp.Combine("a", table + ".parquet"));
            var b = await ParquetColumns.ReadAsync(tmp.Combine("b", table + ".parquet"));
            Assert.Equal(a.Keys, b.Keys);
            foreach (var column in a.Keys)
            {
                Assert.True(a[column].SequenceEqual(b[column]), $"{table}.{column} differs between same-seed runs");
            }
        }
        var sa = await ParquetColumns.ReadAsync(tmp.Combine("a", "spectra.parquet"));
        var sc = await ParquetColumns.ReadAsync(tmp.Combine("c", "spectra.parquet"));
        Assert.False(sa["sigma"].SequenceEqual(sc["sigma"]));
    }

    [Fact]
    public async Task SinglePrecisionIsRecordedInTheManifestAndStaysWithinItsBoundOfDouble()
    {
        using var tmp = new TempFolder();
        string[] oneEpoch = ["--epochs", "1", "--synth-samples", "300", "--batch-size", "32", "--permutations", "0"];
        Assert.Equal(0, CliRunner.Run(["run", "--out", tmp.Combine("double"), .. oneEpoch]).Exit);
        Assert.Equal(0, CliRunner.Run(["run", "--out", tmp.Combine("single"), "--precision", "single", .. oneEpoch]).Exit);
        Assert.Equal("double", Manifest(tmp.Combine("double")).GetProperty("configuration").GetProperty("introspection").GetProperty("precision").GetString());
        Assert.Equal("single", Manifest(tmp.Combine("single")).GetProperty("configuration").GetProperty("introspection").GetProperty("precision").GetString());

        // Same seed, same training (the spectra do not feed back): the same spectra up to float32 rounding.
        var reference = await ParquetColumns.ReadAsync(tmp.Combine("double", "spectra.parquet"));
        var single = await ParquetColumns.ReadAsync(tmp.Combine("single", "spectra.parquet"));
        Assert.Equal(reference["sigma"].Count, single["sigma"].Count);
        var sigma1 = new Dictionary<(long, string?, string?, string?), double>();
        for (int i = 0; i < reference["sigma"].Count; i++)
        {
            if ((int)reference["k"][i]! == 1)
            {
                sigma1[((long)reference["step"][i]!, (string?)reference["layer"][i], (string?)reference["group"][i], (string?)reference["quantity"][i])] = (double)reference["sigma"][i]!;
            }
        }
        double largest = 0;
        for (int i = 0; i < reference["sigma"].Count; i++)
        {
            double s1 = sigma1[((long)reference["step"][i]!, (string?)reference["layer"][i], (string?)reference["group"][i], (string?)reference["quantity"][i])];
            double x = (double)reference["sigma"][i]!, y = (double)single["sigma"][i]!;
            largest = Math.Max(largest, Math.Abs((x * x) - (y * y)) / (s1 * s1));
        }
        Assert.InRange(largest, 1e-12, 1e-5);

        var refused = CliRunner.Run(["run", "--out", tmp.Combine("half"), "--precision", "half", .. oneEpoch]);
        Assert.Equal(2, refused.Exit);
        Assert.Contains("--precision", refused.Err);
    }

    [Fact]
    public async Task AuditDumpHoldsTheFactorsThatReproduceWeightGradAndTheRecordedSpectra()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Combine("run");
        Assert.Equal(0, CliRunner.Run(["run", "--out", dir, "--dump-steps", "0,3", "--route", "qr", .. Small]).Exit);
        var spectra = await ParquetColumns.ReadAsync(Path.Combine(dir, "spectra.parquet"));
        foreach (var step in new[] { 0, 3 })
        {
            var folder = Path.Combine(dir, "dump", $"step-{step:D6}");
            var groups = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "groups.json"))).RootElement
                .GetProperty("groups").EnumerateArray().Select(g => g.GetString()!).ToArray();
            foreach (var layer in new[] { "fc1", "fc2", "fc3" })
            {
                var (a, aShape) = NpyFile.ReadFloat32(Path.Combine(folder, layer + ".A.npy"));
                var (d, dShape) = NpyFile.ReadFloat32(Path.Combine(folder, layer + ".delta.npy"));
                var (wg, wgShape) = NpyFile.ReadFloat32(Path.Combine(folder, layer + ".W_grad.npy"));
                var (rowGroup, _) = NpyFile.ReadInt32(Path.Combine(folder, layer + ".row_group.npy"));
                Assert.Equal(aShape[0], dShape[0]);
                Assert.Equal([dShape[1], aShape[1]], wgShape);
                using var scope = NewDisposeScope();
                var at = tensor(a, aShape).to_type(ScalarType.Float64);
                var dt = tensor(d, dShape).to_type(ScalarType.Float64);
                var full = dt.t().mm(at);
                var wgt = tensor(wg, wgShape).to_type(ScalarType.Float64);
                Assert.True((full - wgt).abs().max().item<double>() <= 1e-5 * wgt.abs().max().item<double>(), $"{layer}: ΔᵀA ≠ W.grad");

                for (int g = 0; g < groups.Length; g++)
                {
                    var rows = Enumerable.Range(0, rowGroup.Length).Where(r => rowGroup[r] == g).Select(r => (long)r).ToArray();
                    if (rows.Length == 0)
                    {
                        continue;
                    }
                    var idx = tensor(rows, ScalarType.Int64);
                    var expected = linalg.svdvals(at.index_select(0, idx).t().mm(dt.index_select(0, idx))).data<double>().ToArray();
                    var recorded = Enumerable.Range(0, spectra["sigma"].Count)
                        .Where(i => (long)spectra["step"][i]! == step && (string?)spectra["layer"][i] == layer
                            && (string?)spectra["group"][i] == groups[g] && (string?)spectra["quantity"][i] == "grad")
                        .OrderBy(i => (int)spectra["k"][i]!)
                        .Select(i => (double)spectra["sigma"][i]!).ToArray();
                    Assert.NotEmpty(recorded);
                    for (int k = 0; k < recorded.Length; k++)
                    {
                        Assert.True(Math.Abs(expected[k] - recorded[k]) <= 1e-4 * expected[0], $"{layer} {groups[g]} σ_{k + 1}");
                    }
                }
            }
        }
    }

    [Fact]
    public async Task ScheduleLayersQuantitiesAndTopKAreRespected()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Combine("run");
        var (exit, _, err) = CliRunner.Run("run", "--out", dir, "--epochs", "3", "--synth-samples", "300", "--batch-size", "32",
            "--optimizer", "sgd", "--lr", "0.05", "--activation", "tanh", "--hidden", "16,8", "--every", "2",
            "--record-epochs", "1", "--layers", "fc2", "--top-k", "3", "--quantities", "grad,weight");
        Assert.True(exit == 0, err);
        var s = await ParquetColumns.ReadAsync(Path.Combine(dir, "spectra.parquet"));
        Assert.Equal(["fc2"], s["layer"].Distinct());
        Assert.Equal(["grad", "weight"], s["quantity"].Cast<string>().Distinct().Order());
        Assert.All(s["k"], k => Assert.InRange((int)k!, 1, 3));
        var gradRows = Enumerable.Range(0, s["step"].Count).Where(i => (string?)s["quantity"][i] == "grad").ToList();
        Assert.All(gradRows, i => Assert.Equal(1, s["epoch"][i]));
        Assert.All(gradRows, i => Assert.Equal(0, (long)s["step"][i]! % 2));
        int stepsPerEpoch = (int)Math.Ceiling(240 / 32.0);
        var expectedSteps = Enumerable.Range(stepsPerEpoch, stepsPerEpoch).Where(st => st % 2 == 0).Select(st => (long)st);
        Assert.Equal(expectedSteps, gradRows.Select(i => (long)s["step"][i]!).Distinct().Order());
        // σ(W) at the first step of each epoch and after the last step, whatever the step schedule.
        var weightSteps = Enumerable.Range(0, s["step"].Count).Where(i => (string?)s["quantity"][i] == "weight")
            .Select(i => (long)s["step"][i]!).Distinct().Order();
        Assert.Equal([0L, stepsPerEpoch, 2L * stepsPerEpoch, 3L * stepsPerEpoch], weightSteps);
        var m = await ParquetColumns.ReadAsync(Path.Combine(dir, "metrics.parquet"));
        // The metrics summarise the full spectrum: fc2 is 8×16, so σ(W) has 8 values although only 3 are kept.
        Assert.Contains(Enumerable.Range(0, m["step"].Count), i => (string?)m["quantity"][i] == "weight" && (int?)m["n_sigma"][i] == 8);
    }

    [Fact]
    public void SeedsAndAllFoldsRunEveryReplicateIntoItsOwnFolder()
    {
        using var tmp = new TempFolder();
        var (exit, output, err) = CliRunner.Run(["run", "--out", tmp.Path, "--seeds", "0,3", "--folds", "2", "--all-folds", .. Small]);
        Assert.True(exit == 0, err);
        foreach (var (seed, fold) in new[] { (0, 0), (0, 1), (3, 0), (3, 1) })
        {
            var manifest = JsonDocument.Parse(File.ReadAllText(tmp.Combine($"seed-{seed}_fold-{fold}", "manifest.json"))).RootElement;
            Assert.Equal("complete", manifest.GetProperty("status").GetString());
            Assert.Equal(seed, manifest.GetProperty("seed").GetInt32());
            Assert.Equal(fold, manifest.GetProperty("fold").GetInt32());
        }
        Assert.Equal(4, output.Split('\n').Count(l => l.StartsWith("run complete", StringComparison.Ordinal)));
    }

    [Fact]
    public void DivergingTrainingStopsWithAClearMessageAndAFailedRun()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Combine("run");
        var (exit, _, err) = CliRunner.Run("run", "--out", dir, "--optimizer", "sgd", "--lr", "1e12", "--epochs", "3", "--synth-samples", "300");
        Assert.Equal(2, exit);
        Assert.Contains("training diverged", err);
        Assert.Contains("--lr", err);
        Assert.Equal("failed", Manifest(dir).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AbsentGroupIsRecordedAsAbsentNotAsZeros()
    {
        using var tmp = new TempFolder();
        var config = tmp.Combine("config.json");
        File.WriteAllText(config, """
            {
              "data": { "synthetic": { "samples": 200, "group_fractions": [0.97, 0.03] } },
              "training": { "epochs": 1, "batch_size": 8 },
              "introspection": { "quantities": "grad" }
            }
            """);
        var dir = tmp.Combine("run");
        var (exit, _, err) = CliRunner.Run("run", "--config", config, "--out", dir);
        Assert.True(exit == 0, err);
        var m = await ParquetColumns.ReadAsync(Path.Combine(dir, "metrics.parquet"));
        var absent = Enumerable.Range(0, m["present"].Count).Where(i => !(bool)m["present"][i]!).ToList();
        Assert.NotEmpty(absent);
        Assert.All(absent, i =>
        {
            Assert.Equal("B", m["group"][i]);
            Assert.Equal(0, m["group_size"][i]);
            Assert.Null(m["sigma1"][i]);
        });
        var s = await ParquetColumns.ReadAsync(Path.Combine(dir, "spectra.parquet"));
        var absentSteps = absent.Select(i => (long)m["step"][i]!).ToHashSet();
        Assert.DoesNotContain(Enumerable.Range(0, s["step"].Count),
            i => (string?)s["group"][i] == "B" && absentSteps.Contains((long)s["step"][i]!));
    }

    [Fact]
    public async Task SmallCsvFromSharedDataRunsEndToEnd()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Combine("run");
        var csv = SharedData.Path("enigma_example_tle", "cov.csv");
        var (exit, _, err) = CliRunner.Run("run", "--data", csv, "--label", "Dx", "--group", "Sex", "--subject", "SubjID",
            "--features", "Age,ICV", "--epochs", "3", "--batch-size", "8", "--out", dir);
        Assert.True(exit == 0, err);
        var manifest = Manifest(dir);
        Assert.Equal("complete", manifest.GetProperty("status").GetString());
        Assert.Equal(20, manifest.GetProperty("split").EnumerateObject().Count());
        var spectra = await ParquetColumns.ReadAsync(Path.Combine(dir, "spectra.parquet"));
        Assert.Equal(["1", "2", "all"], spectra["group"].Cast<string>().Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task KilledRunLeavesFlushedPartsReadableAndManifestNotComplete()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Combine("run");
        var cli = Path.Combine(AppContext.BaseDirectory, "AutoSpec.Cli.dll");
        // Output is not redirected: an unread pipe would fill and stall the child.
        var start = new ProcessStartInfo("dotnet", [cli, "run", "--out", dir, "--epochs", "2000", "--synth-samples", "400", "--threads", "1"]);
        using var process = Process.Start(start)!;
        var parts = Path.Combine(dir, "parts");
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline && !(Directory.Exists(parts) && Directory.GetFiles(parts, "spectra-*.parquet").Length >= 2))
        {
            Assert.False(process.HasExited, "the run ended before it could be killed");
            await Task.Delay(100);
        }
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();

        Assert.NotEqual("complete", Manifest(dir).GetProperty("status").GetString());
        Assert.False(File.Exists(Path.Combine(dir, "spectra.parquet")));
        var files = Directory.GetFiles(parts, "*.parquet");
        Assert.True(files.Length >= 2);
        long steps = 0;
        foreach (var f in files.Where(f => Path.GetFileName(f).StartsWith("spectra-", StringComparison.Ordinal)))
        {
            var columns = await ParquetColumns.ReadAsync(f);
            steps += columns["step"].Distinct().Count();
        }
        Assert.True(steps > 0);
    }
}
