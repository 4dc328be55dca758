using System.Globalization;
using System.Text;
using System.Text.Json;
using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Cli;

/// <summary>
/// Issue 15 on the command line: which columns a run takes as features is shown by <c>data inspect</c>, at a run's
/// start and in its manifest; <c>--exclude</c> (or <c>data.source.exclude_columns</c>) leaves extra columns out.
/// </summary>
[Collection("cli")]
public sealed class DataColumnsCliTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>40 subjects: id, dx (a/b), site, age, sex (text), f1..f3.</summary>
    private string WriteTable(string name = "table.csv")
    {
        var text = new StringBuilder("id,dx,site,age,sex,f1,f2,f3\n");
        var random = new Random(3);
        for (int i = 0; i < 40; i++)
        {
            var dx = i % 2 == 0 ? "a" : "b";
            text.Append(CultureInfo.InvariantCulture,
                $"s{i},{dx},{(i / 2 % 2 == 0 ? "X" : "Y")},{20 + i},{(i % 3 == 0 ? "M" : "F")},{random.NextDouble() + (i % 2):F3},{random.NextDouble():F3},{random.NextDouble():F3}\n");
        }
        var path = _temp.Combine(name);
        File.WriteAllText(path, text.ToString());
        return path;
    }

    [Fact]
    public void InspectShowsTheColumnRoles()
    {
        var table = WriteTable();

        var r = CliRunner.Run("data", "inspect", table, "--label", "dx", "--group", "site", "--subject", "id", "--exclude", "age,sex");

        Assert.True(r.Exit == 0, r.Err);
        Assert.Contains("label: dx; group: site; subject: id\nfeatures (3): f1, f2, f3\nexcluded (2): age, sex\n", r.Out);
    }

    [Fact]
    public void ATextColumnStopsTheRunBeforeAnyFolderWithTheHint()
    {
        var table = WriteTable();
        var output = _temp.Combine("run");

        var r = CliRunner.Run("run", "--data", table, "--label", "dx", "--group", "site", "--subject", "id", "--out", output, "--epochs", "1");

        Refusal.AssertErrorLine(r, "table.csv", "column 'sex'", "'M' is not a number", "--exclude sex");
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void TheRunListsItsFeaturesAtStartAndInTheManifest()
    {
        var table = WriteTable();
        var output = _temp.Combine("run");

        var r = CliRunner.Run("run", "--data", table, "--label", "dx", "--group", "site", "--subject", "id", "--exclude", "sex",
            "--out", output, "--epochs", "1", "--batch-size", "16", "--permutations", "0", "--threads", "1");

        Assert.True(r.Exit == 0, r.Err);
        Assert.StartsWith("label: dx; group: site; subject: id\nfeatures (4): age, f1, f2, f3\nexcluded (1): sex\n", r.Out);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "manifest.json")));
        var data = manifest.RootElement.GetProperty("data");
        Assert.Equal(["age", "f1", "f2", "f3"], data.GetProperty("feature_columns").EnumerateArray().Select(e => e.GetString()));
        var source = manifest.RootElement.GetProperty("configuration").GetProperty("data").GetProperty("source");
        Assert.Equal(["sex"], source.GetProperty("exclude_columns").EnumerateArray().Select(e => e.GetString()));

        // The manifest repeats the run, exclusions included; a configuration file can name them too.
        var again = CliRunner.Run("run", "--config", Path.Combine(output, "manifest.json"), "--out", _temp.Combine("again"));
        Assert.True(again.Exit == 0, again.Err);
        Assert.Contains("features (4): age, f1, f2, f3\n", again.Out);
        var config = _temp.Combine("config.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new
        {
            data = new { source = new { path = table, label_column = "dx", subject_column = "id", exclude_columns = new[] { "sex", "age", "site" } } },
            training = new { epochs = 1 },
            introspection = new { permutations = 0 },
        }));
        var fromConfig = CliRunner.Run("run", "--config", config, "--out", _temp.Combine("config-run"));
        Assert.True(fromConfig.Exit == 0, fromConfig.Err);
        Assert.Contains("features (3): f1, f2, f3\nexcluded (3): site, age, sex\n", fromConfig.Out);
    }

    /// <summary>40 subjects: id, dx, site, iq (−9999 for 5 of them, else 80 + i), f1, f2.</summary>
    private string WriteCodedTable()
    {
        var text = new StringBuilder("id,dx,site,iq,f1,f2\n");
        var random = new Random(4);
        for (int i = 0; i < 40; i++)
        {
            var iq = i % 8 == 3 ? "-9999" : (80 + i).ToString(CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture,
                $"s{i},{(i % 2 == 0 ? "a" : "b")},{(i / 2 % 2 == 0 ? "X" : "Y")},{iq},{random.NextDouble() + (i % 2):F3},{random.NextDouble():F3}\n");
        }
        var path = _temp.Combine("coded.csv");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    [Fact]
    public void AnUndeclaredSentinelIsWarnedAboutAtStartAndInTheManifest()
    {
        var table = WriteCodedTable();
        var output = _temp.Combine("run");

        var r = CliRunner.Run("run", "--data", table, "--label", "dx", "--group", "site", "--subject", "id",
            "--out", output, "--epochs", "1", "--permutations", "0", "--threads", "1");

        Assert.True(r.Exit == 0, r.Err);
        Assert.Contains("warning: ", r.Err);
        Assert.Contains("feature 'iq': its minimum -9999 (5 samples, e.g. subject 's3')", r.Err);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "manifest.json")));
        Assert.Contains(manifest.RootElement.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("--missing -9999", StringComparison.Ordinal));
        Assert.False(manifest.RootElement.GetProperty("data").TryGetProperty("missing", out _));
    }

    [Fact]
    public void ImputedRunsRecordTheirTrainingFoldMeans()
    {
        var table = WriteCodedTable();
        var output = _temp.Combine("runs");

        var r = CliRunner.Run("run", "--data", table, "--label", "dx", "--group", "site", "--subject", "id", "--missing", "-9999",
            "--missing-policy", "impute", "--out", output, "--all-folds", "--folds", "2", "--epochs", "1", "--permutations", "0", "--threads", "1");

        Assert.True(r.Exit == 0, r.Err);
        Assert.DoesNotContain("-9999 (", r.Err); // declared: no sentinel warning
        Assert.Contains("missing values (-9999 and empty cells): 5 cells (iq 5); 5 cells imputed in each run", r.Out);
        var iq = File.ReadLines(table).Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[0], f => double.Parse(f[3], CultureInfo.InvariantCulture));
        var means = new List<double>();
        foreach (var fold in new[] { 0, 1 })
        {
            using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, $"seed-0_fold-{fold}", "manifest.json")));
            var missing = manifest.RootElement.GetProperty("data").GetProperty("missing");
            Assert.Equal("impute", missing.GetProperty("policy").GetString());
            Assert.Equal(["-9999"], missing.GetProperty("codes").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(5, missing.GetProperty("imputed_cells").GetInt32());
            Assert.Equal(0, missing.GetProperty("dropped_samples").GetInt32());
            Assert.Equal(5, missing.GetProperty("cells_by_feature").GetProperty("iq").GetInt32());
            // The mean of the training subjects' values that are not missing: never a validation subject's.
            var train = manifest.RootElement.GetProperty("split").EnumerateObject().Where(p => p.Value.GetString() == "train").Select(p => p.Name);
            var expected = train.Select(s => iq[s]).Where(v => v != -9999).Average();
            var recorded = missing.GetProperty("imputed_means").GetProperty("iq").GetDouble();
            Assert.Equal(expected, recorded, 1e-9);
            means.Add(recorded);
        }
        Assert.NotEqual(means[0], means[1]);
    }

    [Fact]
    public void DropRecordsTheSamplesLeftOut()
    {
        var table = WriteCodedTable();
        var output = _temp.Combine("run");

        var r = CliRunner.Run("run", "--data", table, "--label", "dx", "--group", "site", "--subject", "id", "--missing", "-9999,NA",
            "--out", output, "--epochs", "1", "--permutations", "0", "--threads", "1");

        Assert.True(r.Exit == 0, r.Err);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "manifest.json")));
        var data = manifest.RootElement.GetProperty("data");
        Assert.Equal(35, data.GetProperty("samples").GetInt32());
        var missing = data.GetProperty("missing");
        Assert.Equal("drop", missing.GetProperty("policy").GetString());
        Assert.Equal(5, missing.GetProperty("dropped_samples").GetInt32());
        Assert.Equal(5, missing.GetProperty("dropped_subjects").GetInt32());
        Assert.Equal(0, missing.GetProperty("imputed_cells").GetInt32());
        Assert.Equal(35, manifest.RootElement.GetProperty("split").EnumerateObject().Count());
        var source = manifest.RootElement.GetProperty("configuration").GetProperty("data").GetProperty("source");
        Assert.Equal(["-9999", "NA"], source.GetProperty("missing_codes").EnumerateArray().Select(e => e.GetString()));
    }
}
