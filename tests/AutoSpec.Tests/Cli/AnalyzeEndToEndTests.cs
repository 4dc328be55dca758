using System.Text.Json.Nodes;
using AutoSpec.Data;
using AutoSpec.Introspection;
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
    public void EveryColumnOfEveryAnalysisTableIsDocumented()
    {
        using var tmp = new TempFolder();
        var (exit, _, err) = CliRunner.Run(["analyze", tiny.Runs[0], "--out", tmp.Path]);
        Assert.True(exit == 0, err);
        var doc = File.ReadAllText(Path.Combine(Repository.Root(), "docs", "ANALYSIS-TABLES.md"));
        var tables = Directory.GetFiles(tmp.Path, "*.csv").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["epoch_values", "findings", "group_tests", "permutation_tests", "phases", "runs"], tables);
        foreach (var table in tables)
        {
            // The table's section runs from its heading to the next one.
            int start = doc.IndexOf($"## {table} ", StringComparison.Ordinal);
            Assert.True(start >= 0, $"no section for {table}");
            int end = doc.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
            var section = end < 0 ? doc[start..] : doc[start..end];
            foreach (var column in File.ReadLines(tmp.Combine(table + ".csv")).First().Split(','))
            {
                Assert.True(section.Contains($"`{column}`", StringComparison.Ordinal), $"{table}.{column} is not in docs/ANALYSIS-TABLES.md");
            }
        }
    }

    [Fact]
    public async Task AnalyzeWritesEveryTableWithOneFamilyOfSubjectLevelTestsPooledOverRuns()
    {
        using var tmp = new TempFolder();
        var (exit, output, err) = CliRunner.Run(["analyze", .. tiny.Runs, "--out", tmp.Path]);
        Assert.True(exit == 0, err);
        Assert.Contains("3 runs, groups A vs B", output);
        Assert.Contains("n counts subjects", output);
        foreach (var table in new[] { "group_tests", "findings", "epoch_values", "phases", "permutation_tests", "runs" })
        {
            Assert.True(File.Exists(tmp.Combine(table + ".parquet")), table);
            Assert.True(File.Exists(tmp.Combine(table + ".csv")), table);
        }
        var tests = await ParquetColumns.ReadAsync(tmp.Combine("group_tests.parquet"));
        int rows = tests["layer"].Count;
        // 3 layers × 2 default metrics × (2 epoch windows + the whole run), each pooled over the 3 runs.
        Assert.Equal(3 * 2 * 3, rows);
        Assert.Equal(["fc1", "fc2", "fc3"], tests["layer"].Distinct().Order());
        Assert.Equal(["frobenius_normalised", "sample_rms"], tests["metric"].Distinct().Order());
        Assert.All(tests["family"], f => Assert.Equal("all", f));
        Assert.All(tests["family_size"], s => Assert.Equal(rows, s));
        Assert.All(tests["runs"], r => Assert.Equal(3, r));
        for (int i = 0; i < rows; i++)
        {
            double p = (double)tests["p"][i]!;
            // 1000 relabellings (the default): p = (1 + count) / 1001.
            Assert.InRange(p, 1.0 / 1001, 1.0);
            Assert.True((double)tests["p_bh"][i]! >= p);
            Assert.True((double)tests["p_by"][i]! >= (double)tests["p_bh"][i]!);
            Assert.Equal((double)tests["statistic"][i]! - (double)tests["null_mean"][i]!, (double)tests["excess"][i]!, 12);
            // 300 subjects: every one of them (training and validation folds) is relabelled.
            Assert.Equal(300, (int)tests["subjects_a"][i]! + (int)tests["subjects_b"][i]!);
            Assert.Contains("labels exchanged among 300", (string)tests["n_counts"][i]!);
        }
        var perRun = await ParquetColumns.ReadAsync(tmp.Combine("permutation_tests.parquet"));
        Assert.Equal(3 * 3 * 2 * 2, perRun["run"].Count);
        var values = await ParquetColumns.ReadAsync(tmp.Combine("epoch_values.parquet"));
        Assert.Equal(["A", "B", "all"], values["group"].Cast<string>().Distinct().Order(StringComparer.Ordinal));
        var json = JsonNode.Parse(File.ReadAllText(tmp.Combine("analysis.json")))!;
        Assert.Equal(rows, (int)json["families"]!["all"]!);
        Assert.Contains("n counts subjects", (string)json["population"]!);
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
                Introspection = new IntrospectionOptions { Quantities = SpectrumQuantities.Grad, Layers = ["fc1"], Permutations = 200 },
            };
            var data = GaussianMixtureGenerator.Generate(config.Data.Synthetic);
            runs.Add(Trainer.Run(config, data, []).Directory);
        }
        var html = tmp.Combine("report.html");
        var (exit, _, err) = CliRunner.Run(["report", .. runs, "--out", html]);
        Assert.True(exit == 0, err);
        var text = File.ReadAllText(html);
        foreach (var (b, a) in new[] { ("B", "A"), ("C", "A"), ("C", "B") })
        {
            Assert.Contains($"data-file=\"fc1-grad-difference-{b}-{a}\"", text);
            Assert.Contains($"data-file=\"fc1-effects-frobenius_normalised-{b}-{a}\"", text);
        }
    }

    [Fact]
    public void EveryFindingHasAFigureOfItsOwnCaptionedWithIt()
    {
        using var tmp = new TempFolder();
        // A strong planted effect (group B's class-1 mean shifted by 3 along 8 features), so that there are findings.
        var config = new RunConfiguration
        {
            Out = tmp.Combine("run"),
            Data = new DataOptions { Synthetic = new GaussianMixtureOptions { Samples = 400, EffectSize = 3 } },
            Training = new TrainingOptions { Epochs = 3, BatchSize = 32 },
            Introspection = new IntrospectionOptions { Quantities = SpectrumQuantities.Grad, Layers = ["fc1"], Permutations = 200 },
        };
        var run = Trainer.Run(config, GaussianMixtureGenerator.Generate(config.Data.Synthetic), []).Directory;
        var result = AutoSpec.Analyse.AnalysisResult.Of(AutoSpec.Analyse.RunSet.Load([run], includeIncomplete: false), new AutoSpec.Analyse.GroupComparisonOptions());
        Assert.NotEmpty(result.Findings);

        var html = AutoSpec.Report.HtmlReport.Render(result);

        for (int i = 0; i < result.Findings.Count; i++)
        {
            var f = result.Findings[i];
            Assert.Contains($"data-file=\"finding-{i + 1}\"", html);
            Assert.Contains(System.Net.WebUtility.HtmlEncode($"Finding {i + 1}. {f.Sentence}"), html);
        }
        Assert.DoesNotContain($"data-file=\"finding-{result.Findings.Count + 1}\"", html);
    }

    [Fact]
    public void ReportIsOneSelfContainedHtmlPageWithPlotsAndCsvExports()
    {
        using var tmp = new TempFolder();
        var html = tmp.Combine("sub", "report.html");
        var (exit, output, err) = CliRunner.Run(["report", .. tiny.Runs, "--out", html, "--tables", tmp.Combine("tables")]);
        Assert.True(exit == 0, err);
        Assert.Contains("report written to", output);
        var text = File.ReadAllText(html);
        Assert.StartsWith("<!DOCTYPE html>", text);
        // Scripts are inline (plotly.js and the page's own); links and sources stay in the page (Report/HtmlReportTests).
        Assert.DoesNotContain("<script src", text);
        Assert.DoesNotContain("<link", text);
        foreach (var section in new[] { "Findings", "Training curves", "Significance map", "Permutation verdicts", "fc1: gradient", "fc3: gradient", "Tables" })
        {
            Assert.Contains(section, text);
        }
        // Three curve plots and two per group, and per layer: 2 trajectories, the groups' heat maps, their difference,
        // one effect plot per metric.
        int figures = text.Split("<div class=\"plot\"").Length - 1;
        Assert.Equal(3 + 2 + 3 * 6, figures);
        Assert.Contains("n counts subjects", text);
        foreach (var table in new[] { "group_tests", "findings", "epoch_values", "phases", "permutation_tests", "runs" })
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
        var (exit, _, err) = CliRunner.Run("analyze", run, "--out", tmp.Combine("out"), "--permutations", "50");
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
    public async Task FamiliesCanBeSplitByLayer()
    {
        using var tmp = new TempFolder();
        var (exit, _, err) = CliRunner.Run(["analyze", .. tiny.Runs, "--out", tmp.Path, "--family", "layer"]);
        Assert.True(exit == 0, err);
        var tests = await ParquetColumns.ReadAsync(tmp.Combine("group_tests.parquet"));
        Assert.Equal(["layer=fc1", "layer=fc2", "layer=fc3"], tests["family"].Cast<string>().Distinct().Order());
        Assert.All(tests["family_size"], f => Assert.Equal(6, f));
    }

    [Fact]
    public async Task OneRunIsTestedAtTheSubjectLevelOnItsOwn()
    {
        using var tmp = new TempFolder();
        var (exit, output, err) = CliRunner.Run("analyze", tiny.Runs[0], "--out", tmp.Path);
        Assert.True(exit == 0, err);
        Assert.Contains("1 run,", output);
        var tests = await ParquetColumns.ReadAsync(tmp.Combine("group_tests.parquet"));
        Assert.Equal(18, tests["layer"].Count);
        Assert.All(tests["runs"], r => Assert.Equal(1, r));
        Assert.All(tests["p"], Assert.NotNull);
    }

    [Fact]
    public void RunsWithoutAPermutationTestAreSaidToHaveNothingToTest()
    {
        using var tmp = new TempFolder();
        var run = tmp.Combine("run");
        Assert.Equal(0, CliRunner.Run("run", "--out", run, "--epochs", "1", "--synth-samples", "200", "--quantities", "grad",
            "--threads", "1", "--permutations", "0").Exit);
        var (exit, output, err) = CliRunner.Run("analyze", run, "--out", tmp.Combine("out"));
        Assert.True(exit == 0, err);
        Assert.Contains("no subject-level test", output);
        Assert.Single(Lines(tmp.Combine("out", "findings.csv")));
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
        var (exit, output, err) = CliRunner.Run(["analyze", .. tiny.Runs, copy, "--out", tmp.Path]);
        Assert.True(exit == 0, err);
        Assert.Contains($"skipped '{copy}' has status 'running'", err);
        Assert.Contains("3 runs,", output);
        (exit, output, err) = CliRunner.Run(["analyze", .. tiny.Runs, copy, "--out", tmp.Path, "--include-incomplete"]);
        Assert.True(exit == 0, err);
        Assert.Contains("4 runs,", output);
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
        // Spectra in float32 are other numbers (docs/PERFORMANCE.md): never pooled with float64 ones.
        manifest["configuration"]!["introspection"]!["precision"] = "single";
        File.WriteAllText(Path.Combine(copy, "manifest.json"), manifest.ToJsonString());
        using var tmp = new TempFolder();
        var (exit, _, err) = CliRunner.Run(["analyze", .. tiny.Runs, copy, "--out", tmp.Path]);
        Assert.Equal(2, exit);
        Assert.Contains("different configurations", err);
        Assert.Contains("model.activation", err);
        Assert.Contains("training.learning_rate (0.001 vs 0.01)", err);
        Assert.Contains("introspection.precision", err);
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
        (exit, output, err) = CliRunner.Run(["analyze", .. tiny.Runs, run, "--out", tmp.Combine("out")]);
        Assert.True(exit == 0, err);
        Assert.Contains($"{tiny.Runs.Count + 1} runs,", output);
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
    [InlineData("--permutation-metric", "sigma9")]
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
