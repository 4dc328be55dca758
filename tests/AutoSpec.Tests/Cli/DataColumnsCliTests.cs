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
}
