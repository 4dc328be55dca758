using System.Text.Json.Nodes;
using AutoSpec.Tests.Support;
using AutoSpec.Validation;

namespace AutoSpec.Tests.Cli;

[Collection("cli")]
public class ValidateEndToEndTests
{
    [Fact]
    public void ValidateRunsItsScenariosAndReportsRatesWithIntervals()
    {
        using var tmp = new TempFolder();
        var (exit, output, err) = CliRunner.Run("validate", "--out", tmp.Path, "--scenarios", "null-1:3,meanshift-1:3-seeds",
            "--analyses", "1", "--synth-samples", "300", "--epochs", "1", "--permutations", "100");
        Assert.True(exit == 0, err);
        Assert.Contains("null-1:3: false-positive rate", output);
        Assert.Contains("meanshift-1:3-seeds: power", output);
        Assert.Contains("95% CI", output);
        var summary = File.ReadAllLines(tmp.Combine("validation_summary.csv"));
        Assert.Equal("scenario,measures,analyses,detected,failed,rate,ci95_low,ci95_high", summary[0]);
        Assert.Equal(3, summary.Length);
        Assert.True(File.Exists(tmp.Combine("validation_analyses.parquet")));
        // One run for the single-run null, three seeds on the same data for the other.
        var manifests = Directory.GetFiles(tmp.Path, "manifest.json", SearchOption.AllDirectories);
        Assert.Equal(4, manifests.Length);
        var seeds = manifests.Where(m => m.Contains("seeds", StringComparison.Ordinal))
            .Select(m => JsonNode.Parse(File.ReadAllText(m))!["data"]!["sha256"]!.GetValue<string>()).Distinct();
        Assert.Single(seeds);
    }

    /// <summary>
    /// The fast null of the statistics issue: groups of 1:9 and 1:3 with no difference at all, analysed with the
    /// defaults. The former across-run comparison found "differences" in every such analysis; the subject-level test
    /// must find none here (the seeds are fixed, so the outcome is too; the long run is <c>autospec validate</c>).
    /// </summary>
    [Fact]
    public void UnequalNullGroupsGiveNoFinding()
    {
        using var tmp = new TempFolder();
        var options = new ValidationOptions
        {
            Scenarios = [ValidationScenario.Named("null-1:9"), ValidationScenario.Named("null-1:3-seeds")],
            Analyses = 2,
            Samples = 400,
            Epochs = 2,
            Permutations = 200,
        };
        var rows = ValidationExperiment.Run(options, tmp.Path);
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Null(r.Error);
            Assert.True(r.Tests > 0);
            Assert.False(r.Detected, $"{r.Scenario} analysis {r.Analysis}: {r.Significant} significant");
        });
    }

    [Fact]
    public void ARealTableRelabelledAtRandomKeepsItsGroupSizes()
    {
        using var tmp = new TempFolder();
        var table = SharedData.Path("degeneration_connectivity", "connectivity.tsv");
        var config = new JsonObject
        {
            ["data"] = new JsonObject
            {
                ["source"] = new JsonObject
                {
                    ["path"] = table,
                    ["label_column"] = "group",
                    ["group_columns"] = new JsonArray("group"),
                    ["subject_column"] = "subject",
                    ["session_column"] = "session",
                    ["pivot_column"] = "regions",
                    ["value_column"] = "connectivity",
                },
            },
            ["training"] = new JsonObject { ["epochs"] = 2, ["batch_size"] = 32, ["threads"] = 1 },
            ["introspection"] = new JsonObject { ["quantities"] = "grad" },
        };
        var path = tmp.Combine("study.json");
        File.WriteAllText(path, config.ToJsonString());
        var (exit, output, err) = CliRunner.Run("validate", "--out", tmp.Combine("out"), "--scenarios", "relabelled",
            "--config", path, "--analyses", "2", "--permutations", "100");
        Assert.True(exit == 0, err);
        Assert.Contains("relabelled: false-positive rate", output);
        foreach (var manifest in Directory.GetFiles(tmp.Combine("out"), "manifest.json", SearchOption.AllDirectories))
        {
            var groups = JsonNode.Parse(File.ReadAllText(manifest))!["data"]!["groups"]!.AsArray()
                .Select(g => g!["count"]!.GetValue<int>()).Order().ToArray();
            // 39 controls and 40 patients keep their sizes (a subject and its sessions move together): 157 samples.
            Assert.Equal(157, groups.Sum());
            Assert.Equal(2, groups.Length);
        }
    }

    [Theory]
    [InlineData("--scenarios", "bigger")]
    [InlineData("--scenarios", "relabelled")]
    [InlineData("--analyses", "0")]
    [InlineData("--permutations", "0")]
    public void BadOptionsGiveOneErrorLine(string option, string value)
    {
        using var tmp = new TempFolder();
        var (exit, _, err) = CliRunner.Run("validate", "--out", tmp.Path, option, value);
        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", err);
        Assert.Single(err.Trim().Split('\n'));
    }
}
