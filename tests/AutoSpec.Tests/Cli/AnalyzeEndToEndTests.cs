using System.Text.Json.Nodes;
using AutoSpec.Data;
using AutoSpec.Spectra;
using AutoSpec.Tests.Support;
using AutoSpec.Training;

namespace AutoSpec.Tests.Cli;

[Collection("cli")]
public class AnalyzeEndToEndTests(TinyRuns tiny) : IClassFixture<TinyRuns>
{
    private static string[] Lines(string path) => File.ReadAllLines(path);

    private static Dictionary<string, string>[] Csv(string path)
    {
        // The analysis CSVs quote only text with commas (the notes and summaries), which these tests do not parse.
        var lines = Lines(path);
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => l.Split(',')).Where(c => c.Length == header.Length)
            .Select(c => header.Zip(c).ToDictionary(p => p.First, p => p.Second)).ToArray();
    }

    [Fact]
    public async Task AnalyzeWritesEveryTableWithOneFamilyAndPairedTests()
    {
        using var tmp = new TempFolder();
        var (exit, output, err) = CliRunner.Run(["analyze", .. tiny.Runs, "--out", tmp.Path, "--bootstrap", "200"]);
        Assert.True(exit == 0, err);
        Assert.Contains("3 runs, groups A vs B", output);
        foreach (var table in new[] { "group_tests", "findings", "epoch_values", "phases", "phase_tests", "runs" })
        {
            Assert.True(File.Exists(tmp.Combine(table + ".parquet")), table);
            Assert.True(File.Exists(tmp.Combine(table + ".csv")), table);
        }
        var tests = await ParquetColumns.ReadAsync(tmp.Combine("group_tests.parquet"));
        int rows = tests["layer"].Count;
        // 3 layers × 6 default metrics × 2 epochs × 1 pair, except the spectral decay of fc3: with 2 classes the
        // softmax adjoint rows sum to zero, so fc3's gradient has rank 1 and no slope (null, not a made-up value).
        Assert.Equal(3 * 6 * 2 - 2, rows);
        Assert.Equal(["fc1", "fc2", "fc3"], tests["layer"].Distinct().Order());
        Assert.All(tests["family"], f => Assert.Equal("all", f));
        int withP = tests["p"].Count(p => p is not null);
        Assert.All(tests["family_size"], s => Assert.Equal(withP, s));
        for (int i = 0; i < rows; i++)
        {
            if (tests["p"][i] is double p)
            {
                Assert.Equal("ok", tests["status"][i]);
                Assert.Equal(3, tests["runs"][i]);
                Assert.Equal(p, (double)tests["p_paired_t"][i]!);
                Assert.True((double)tests["p_bh"][i]! >= p);
                Assert.True((double)tests["p_by"][i]! >= (double)tests["p_bh"][i]!);
            }
            else
            {
                Assert.NotEqual("ok", tests["status"][i]);
                Assert.Null(tests["p_adjusted"][i]);
                Assert.Equal(false, tests["significant"][i]);
            }
        }
        var values = await ParquetColumns.ReadAsync(tmp.Combine("epoch_values.parquet"));
        Assert.Equal(["A", "B", "all"], values["group"].Cast<string>().Distinct().Order(StringComparer.Ordinal));
        var json = JsonNode.Parse(File.ReadAllText(tmp.Combine("analysis.json")))!;
        Assert.Equal(withP, (int)json["families"]!["all"]!);
    }

    [Fact]
    public void ReportWithThreeGroupsShowsEveryPair()
    {
        using var tmp = new TempFolder();
        var runs = new List<string>();
        foreach (int seed in new[] { 1, 2 })
        {
            var config = new RunConfiguration
            {
                Out = tmp.Combine($"run{seed}"),
                Data = new DataOptions { Synthetic = new GaussianMixtureOptions { Samples = 300, Groups = ["A", "B", "C"], GroupFractions = [0.4, 0.3, 0.3] } },
                Training = new TrainingOptions { Epochs = 2, BatchSize = 32, Seed = seed },
                Introspection = new IntrospectionOptions { Quantities = SpectrumQuantities.Grad, Layers = ["fc1"], Permutations = 0 },
            };
            var data = GaussianMixtureGenerator.Generate(config.Data.Synthetic);
            runs.Add(Trainer.Run(config, data, []).Directory);
        }
        var html = tmp.Combine("report.html");
        var (exit, _, err) = CliRunner.Run(["report", .. runs, "--out", html, "--bootstrap", "0"]);
        Assert.True(exit == 0, err);
        var text = File.ReadAllText(html);
        foreach (var (b, a) in new[] { ("B", "A"), ("C", "A"), ("C", "B") })
        {
            Assert.Contains($"alt=\"fc1 heat map difference {b} − {a}\"", text);
            Assert.Contains($"alt=\"fc1 effects {b} − {a}\"", text);
        }
    }

    [Fact]
    public void ReportIsOneSelfContainedHtmlPageWithPlotsAndCsvExports()
    {
        using var tmp = new TempFolder();
        var html = tmp.Combine("sub", "report.html");
        var (exit, output, err) = CliRunner.Run(["report", .. tiny.Runs, "--out", html, "--bootstrap", "100", "--tables", tmp.Combine("tables")]);
        Assert.True(exit == 0, err);
        Assert.Contains("report written to", output);
        var text = File.ReadAllText(html);
        Assert.StartsWith("<!DOCTYPE html>", text);
        Assert.DoesNotContain("http://", text);
        Assert.DoesNotContain("https://", text);
        Assert.DoesNotContain("<script", text);
        Assert.DoesNotContain("<link", text);
        foreach (var section in new[] { "Findings", "Training curves", "Significance map", "Layer fc1", "Layer fc3", "Tables" })
        {
            Assert.Contains(section, text);
        }
        // Two curve plots, and per layer: 2 trajectories, 2 group heat maps, their difference, effect sizes.
        int images = text.Split("src=\"data:image/png;base64,").Length - 1;
        Assert.Equal(2 + 3 * 6, images);
        foreach (var table in new[] { "group_tests", "findings", "epoch_values", "phases", "phase_tests", "runs" })
        {
            Assert.Contains($"download=\"{table}.csv\" href=\"data:text/csv", text);
        }
        Assert.True(File.Exists(tmp.Combine("tables", "group_tests.parquet")));
    }

    [Fact]
    public void DumpedStepsGetWithinRunPermutationTestsPerStepAndWindow()
    {
        using var tmp = new TempFolder();
        var run = tmp.Combine("dumped");
        Assert.Equal(0, CliRunner.Run("run", "--out", run, "--epochs", "1", "--synth-samples", "300", "--batch-size", "32",
            "--quantities", "grad", "--threads", "1", "--dump-steps", "0,3", "--permutations", "0").Exit);
        var (exit, _, err) = CliRunner.Run("analyze", run, "--out", tmp.Combine("out"), "--permutations", "50", "--bootstrap", "0");
        Assert.True(exit == 0, err);
        var rows = Csv(tmp.Combine("out", "permutation_tests.csv"));
        // 3 layers × (step 0, step 3, window 0–3).
        Assert.Equal(9, rows.Length);
        Assert.Equal(3, rows.Count(r => r["first_step"] == "0" && r["last_step"] == "3" && r["steps"] == "2"));
        Assert.All(rows, r =>
        {
            double p = double.Parse(r["p"], System.Globalization.CultureInfo.InvariantCulture);
            // Monte Carlo with 50 relabellings: p = (1 + count) / 51, never 0.
            Assert.InRange(p, 1.0 / 51, 1.0);
            Assert.Equal("false", r["exact"]);
        });
    }

    [Fact]
    public void FamiliesCanBeSplitByLayerAndTheWelchTestIgnoresPairing()
    {
        using var tmp = new TempFolder();
        var (exit, _, err) = CliRunner.Run(["analyze", .. tiny.Runs, "--out", tmp.Path, "--family", "layer",
            "--test", "welch", "--metrics", "effective_rank", "--bootstrap", "0"]);
        Assert.True(exit == 0, err);
        var rows = Csv(tmp.Combine("group_tests.csv"));
        Assert.Equal(["layer=fc1", "layer=fc2", "layer=fc3"], rows.Select(r => r["family"]).Distinct().Order());
        Assert.All(rows, r => Assert.Equal("2", r["family_size"]));
        Assert.All(rows, r => Assert.Equal("welch_t", r["test"]));
        Assert.All(rows, r => Assert.Equal("cohens_d", r["effect_name"]));
    }

    [Fact]
    public void OneRunIsTooFewReplicatesAndNoPValueIsInvented()
    {
        using var tmp = new TempFolder();
        var (exit, _, err) = CliRunner.Run("analyze", tiny.Runs[0], "--out", tmp.Path, "--bootstrap", "0");
        Assert.True(exit == 0, err);
        var rows = Csv(tmp.Combine("group_tests.csv"));
        Assert.NotEmpty(rows);
        Assert.All(rows, r =>
        {
            Assert.Equal("", r["p"]);
            Assert.Equal("", r["p_adjusted"]);
            Assert.Equal("false", r["significant"]);
            Assert.Contains(r["status"], new[] { "too_few_replicates", "no_variation" });
        });
        Assert.Single(Lines(tmp.Combine("findings.csv")));
    }

    [Fact]
    public void IncompleteRunsAreNamedAndSkippedUnlessIncluded()
    {
        var copy = tiny.Copy(tiny.Runs[0], "incomplete");
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(copy, "manifest.json")))!;
        manifest["status"] = "running";
        manifest["run"] = "incomplete";
        manifest["seed"] = 99;
        manifest["configuration"]!["training"]!["seed"] = 99;
        File.WriteAllText(Path.Combine(copy, "manifest.json"), manifest.ToJsonString());
        using var tmp = new TempFolder();
        var (exit, output, err) = CliRunner.Run(["analyze", .. tiny.Runs, copy, "--out", tmp.Path, "--bootstrap", "0"]);
        Assert.True(exit == 0, err);
        Assert.Contains($"skipped '{copy}' has status 'running'", err);
        Assert.Contains("3 runs", output);
        (exit, output, err) = CliRunner.Run(["analyze", .. tiny.Runs, copy, "--out", tmp.Path, "--bootstrap", "0", "--include-incomplete"]);
        Assert.True(exit == 0, err);
        Assert.Contains("4 runs", output);
        (exit, _, err) = CliRunner.Run("analyze", copy, "--out", tmp.Path);
        Assert.Equal(2, exit);
        Assert.StartsWith("error: no complete run to analyse", err);
    }

    [Fact]
    public void RunsOfDifferentConfigurationsAreRefusedNamingTheKeys()
    {
        var copy = tiny.Copy(tiny.Runs[0], "other-lr");
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(copy, "manifest.json")))!;
        manifest["seed"] = 42;
        manifest["configuration"]!["training"]!["seed"] = 42;
        manifest["configuration"]!["training"]!["learning_rate"] = 0.01;
        manifest["configuration"]!["model"]!["activation"] = "tanh";
        File.WriteAllText(Path.Combine(copy, "manifest.json"), manifest.ToJsonString());
        using var tmp = new TempFolder();
        var (exit, _, err) = CliRunner.Run(["analyze", .. tiny.Runs, copy, "--out", tmp.Path]);
        Assert.Equal(2, exit);
        Assert.Contains("different configurations", err);
        Assert.Contains("model.activation", err);
        Assert.Contains("training.learning_rate (0.001 vs 0.01)", err);
        Assert.DoesNotContain("training.seed", err);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void SettingsThatLeaveTheNumbersAloneMayDifferBetweenReplicates()
    {
        using var tmp = new TempFolder();
        // The tiny runs' configuration, another seed, and other threads, background thread and checkpoints.
        var run = tmp.Combine("run4");
        var (exit, output, err) = CliRunner.Run("run", "--out", run, "--seed", "4", "--epochs", "2", "--synth-samples", "300",
            "--batch-size", "32", "--quantities", "grad", "--threads", "2", "--background", "on", "--checkpoint-every", "7");
        Assert.True(exit == 0, err);
        (exit, output, err) = CliRunner.Run(["analyze", .. tiny.Runs, run, "--out", tmp.Combine("out"), "--bootstrap", "0"]);
        Assert.True(exit == 0, err);
        Assert.Contains($"{tiny.Runs.Count + 1} runs", output);
    }

    [Fact]
    public void TheSameReplicateTwiceIsRefused()
    {
        var copy = tiny.Copy(tiny.Runs[1], "twin");
        using var tmp = new TempFolder();
        var (exit, _, err) = CliRunner.Run(["analyze", .. tiny.Runs, copy, "--out", tmp.Path]);
        Assert.Equal(2, exit);
        Assert.Contains("same seed 2 and fold 0", err);
    }

    [Theory]
    [InlineData("--metrics", "sigma9")]
    [InlineData("--test", "anova")]
    [InlineData("--fdr", "holm")]
    [InlineData("--family", "colour")]
    [InlineData("--groups", "A,Z")]
    [InlineData("--alpha", "1.5")]
    public void BadOptionsGiveOneErrorLine(string option, string value)
    {
        using var tmp = new TempFolder();
        var (exit, _, err) = CliRunner.Run(["analyze", .. tiny.Runs, "--out", tmp.Path, option, value]);
        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", err);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void AMissingOrNonRunFolderIsNamed()
    {
        using var tmp = new TempFolder();
        var (exit, _, err) = CliRunner.Run("analyze", tmp.Combine("nope"), "--out", tmp.Combine("out"));
        Assert.Equal(2, exit);
        Assert.Contains("does not exist", err);
        (exit, _, err) = CliRunner.Run("analyze", tmp.Path, "--out", tmp.Combine("out"));
        Assert.Equal(2, exit);
        Assert.Contains("no manifest.json", err);
    }
}
