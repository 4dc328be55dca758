using System.Globalization;
using System.Text;
using System.Text.Json;
using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Cli;

/// <summary>
/// <c>autospec run</c> with bad input: exit code 2, one "error: " line on stderr naming the file, column, row or
/// option, and no run folder that looks complete.
/// </summary>
[Collection("cli")]
public sealed class BadInputTests : IDisposable
{
    private const string Header = "y,g,f1,f2,f3";

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string OutDir => _temp.Combine("run");

    // ---------------------------------------------------------------- data file

    [Fact]
    public void MissingDataFileIsRefused()
    {
        var missing = _temp.Combine("nonexistent.csv");

        var r = Run("--data", missing, "--label", "y", "--group", "g", "--epochs", "1");

        AssertRefused(r, "nonexistent.csv", "not found");
    }

    [Fact]
    public void DirectoryAsDataFileIsRefused()
    {
        var directory = _temp.Combine("a-directory.csv");
        Directory.CreateDirectory(directory);

        var r = Run("--data", directory, "--label", "y", "--group", "g", "--epochs", "1");

        AssertRefused(r, "a-directory.csv", "directory");
    }

    [Theory]
    [InlineData("--label", "diagnosis", "label")]
    [InlineData("--group", "site", "group")]
    public void MissingColumnIsRefused(string option, string column, string role)
    {
        var data = WriteCsv("data.csv");
        var label = option == "--label" ? column : "y";
        var group = option == "--group" ? column : "g";

        var r = Run("--data", data, "--label", label, "--group", group, "--epochs", "1");

        var line = AssertRefused(r, "data.csv", $"{role} column '{column}'", "not found");
        // The message lists the columns that do exist.
        Assert.Contains("'f1'", line);
    }

    [Theory]
    [InlineData("abc", "is not a number")]
    [InlineData("NaN", "is not a finite number")]
    [InlineData("Infinity", "is not a finite number")]
    [InlineData("-Infinity", "is not a finite number")]
    [InlineData("1e999", "is not a finite number")]
    public void BadFeatureValueIsRefusedWithLineAndColumn(string value, string reason)
    {
        // Row 5 (0-based) of the data is line 7 of the file (line 1 is the header).
        var data = WriteCsv("data.csv", edit: (i, f) =>
        {
            if (i == 5)
            {
                f[3] = value;
            }
        });

        var r = Run("--data", data, "--label", "y", "--group", "g", "--epochs", "1");

        AssertRefused(r, "data.csv", "line 7", "column 'f2'", $"'{value}'", reason);
    }

    [Fact]
    public void SingleLabelIsRefused()
    {
        var data = WriteCsv("one-label.csv", edit: (_, f) => f[0] = "a");

        var r = Run("--data", data, "--label", "y", "--group", "g", "--epochs", "1");

        AssertRefused(r, "one-label.csv", "column 'y'", "one distinct label");
    }

    [Fact]
    public void GroupWithOneSampleIsAWarningNotAnError()
    {
        var data = WriteCsv("lonely.csv", rows: 30, edit: (i, f) =>
        {
            if (i == 29)
            {
                f[1] = "lonely";
            }
        });

        var r = Run("--data", data, "--label", "y", "--group", "g", "--epochs", "1");

        Assert.True(r.Exit == 0, $"exit {r.Exit}; stderr: {r.Err}");
        var warning = Assert.Single(Refusal.Lines(r.Err), l => l.StartsWith("warning:", StringComparison.Ordinal));
        Assert.Contains("lonely.csv", warning);
        Assert.Contains("'lonely'", warning);
        Assert.DoesNotContain(Refusal.Lines(r.Err), l => l.StartsWith("error:", StringComparison.Ordinal));

        using var manifest = ReadManifest(OutDir);
        Assert.Equal("complete", manifest.RootElement.GetProperty("status").GetString());
        var warnings = manifest.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
        Assert.Contains(warnings, w => w.Contains("'lonely'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--label", "y")]
    [InlineData("--group", "g")]
    [InlineData("--features", "f1,f2")]
    public void DataColumnOptionWithoutDataIsRefused(string option, string value)
    {
        var r = RunTiny(option, value);

        AssertRefused(r, option, "--data");
    }

    // ---------------------------------------------------------------- options

    [Theory]
    [InlineData("--epochs", "0", "(got 0)")]
    [InlineData("--epochs", "-2", "(got -2)")]
    [InlineData("--batch-size", "0", "(got 0)")]
    [InlineData("--lr", "-1", "(got -1)")]
    [InlineData("--lr", "0", "(got 0)")]
    [InlineData("--optimizer", "foo", "'foo'")]
    [InlineData("--activation", "foo", "'foo'")]
    [InlineData("--quantities", "foo", "'foo'")]
    [InlineData("--quantities", ",", "grad")]
    [InlineData("--every", "0", "(got 0)")]
    [InlineData("--dump-steps", "x", "'x'")]
    [InlineData("--dump-steps", "-1", "negative")]
    [InlineData("--top-k", "0", "(got 0)")]
    [InlineData("--top-k", "-3", "(got -3)")]
    [InlineData("--hidden", "64,x", "'x'")]
    [InlineData("--hidden", "0", "(got 0)")]
    [InlineData("--record-epochs", "x", "'x'")]
    [InlineData("--metric-k", "0", "(got 0)")]
    [InlineData("--weight-every-epochs", "-1", "(got -1)")]
    [InlineData("--folds", "1", "(got 1)")]
    [InlineData("--fold", "5", "(got 5)")]
    [InlineData("--model", "resnet", "'resnet'")]
    [InlineData("--window", "0", "(got 0)")]
    [InlineData("--dropout", "1", "(got 1)")]
    [InlineData("--permutations", "-1", "(got -1)")]
    [InlineData("--permutation-window", "0", "(got 0)")]
    [InlineData("--permutation-metric", "auc", "'auc'")]
    public void BadOptionValueIsRefused(string option, string value, string shown)
    {
        string[] tiny = option == "--epochs" ? ["--synth-samples", "100"] : ["--epochs", "1", "--synth-samples", "100"];

        var r = Run([.. tiny, option, value]);

        AssertRefused(r, option, shown);
    }

    [Fact]
    public void UnknownDelimiterIsRefused()
    {
        var data = WriteCsv("data.csv");

        var r = Run("--data", data, "--label", "y", "--group", "g", "--delimiter", "#", "--epochs", "1");

        AssertRefused(r, "--delimiter", "'#'");
    }

    [Theory]
    [InlineData("fc9")]
    [InlineData("fc1,act1")]
    public void UnknownLayerIsRefusedAndKnownLayersAreListed(string layers)
    {
        var r = RunTiny("--layers", layers);

        var unknown = layers.Split(',').Last();
        AssertRefused(r, "--layers", $"'{unknown}'", "fc1", "fc2", "fc3");
    }

    // ---------------------------------------------------------------- output folder

    [Fact]
    public void NonEmptyOutputFolderIsRefusedWithoutOverwrite()
    {
        Directory.CreateDirectory(OutDir);
        var keep = Path.Combine(OutDir, "keep.txt");
        File.WriteAllText(keep, "precious");

        var r = RunTiny();

        AssertRefused(r, OutDir, "not empty", "--overwrite");
        Assert.Equal("precious", File.ReadAllText(keep));
        Assert.Equal([keep], Directory.GetFileSystemEntries(OutDir));
    }

    [Fact]
    public void OverwriteDoesNotEmptyAFolderThatIsNotARun()
    {
        Directory.CreateDirectory(OutDir);
        var keep = Path.Combine(OutDir, "keep.txt");
        File.WriteAllText(keep, "precious");

        var r = RunTiny("--overwrite");

        AssertRefused(r, OutDir, "manifest.json");
        Assert.Equal("precious", File.ReadAllText(keep));
        Assert.Equal([keep], Directory.GetFileSystemEntries(OutDir));
    }

    [Fact]
    public void OverwriteReplacesAnEarlierRun()
    {
        var first = RunTiny();
        Assert.True(first.Exit == 0, $"exit {first.Exit}; stderr: {first.Err}");
        var stray = Path.Combine(OutDir, "stray.txt");
        File.WriteAllText(stray, "a user's file beside the run");

        // Without --overwrite even an earlier run is refused (and left as it was).
        var again = RunTiny();
        Refusal.AssertErrorLine(again, OutDir, "--overwrite");
        Assert.True(File.Exists(stray));

        var second = RunTiny("--overwrite");

        Assert.True(second.Exit == 0, $"exit {second.Exit}; stderr: {second.Err}");
        // Only the run's own files are replaced; a file the user put beside it stays.
        Assert.True(File.Exists(stray), "overwrite must not delete files no run writes");
        using var manifest = ReadManifest(OutDir);
        Assert.Equal("complete", manifest.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public void OutputPathThatIsAFileIsRefused()
    {
        var file = _temp.Combine("not-a-folder");
        File.WriteAllText(file, "precious");

        var r = Run("--epochs", "1", "--synth-samples", "100", "--out", file);

        AssertRefused(r, "not-a-folder", "--out");
        Assert.Equal("precious", File.ReadAllText(file));
    }

    // ---------------------------------------------------------------- --config

    [Fact]
    public void MalformedConfigIsRefusedWithFileAndLine()
    {
        var config = _temp.Combine("broken.json");
        File.WriteAllText(config, "{\n  \"training\": {\n    \"epochs\": oops\n  }\n}\n");

        var r = RunTiny("--config", config);

        AssertRefused(r, "--config", "broken.json", "line 3");
    }

    [Fact]
    public void ConfigWithUnknownKeyIsRefused()
    {
        var config = _temp.Combine("typo.json");
        File.WriteAllText(config, "{\"training\": {\"epochz\": 3}}");

        var r = RunTiny("--config", config);

        var line = AssertRefused(r, "--config", "typo.json", "line 1", "'epochz'");
        Assert.Contains("$.training.epochz", line);
    }

    [Fact]
    public void ConfigWithWrongValueTypeIsRefused()
    {
        var config = _temp.Combine("types.json");
        File.WriteAllText(config, "{\n  \"training\": {\n    \"epochs\": \"three\"\n  }\n}\n");

        var r = RunTiny("--config", config);

        AssertRefused(r, "--config", "types.json", "line 3", "$.training.epochs", "could not be converted");
    }

    [Fact]
    public void MissingConfigIsRefused()
    {
        var r = RunTiny("--config", _temp.Combine("absent.json"));

        AssertRefused(r, "--config", "absent.json", "not found");
    }

    [Fact]
    public void ConfigValuesAreValidatedLikeOptions()
    {
        var config = _temp.Combine("zero.json");
        File.WriteAllText(config, "{\"training\": {\"batch_size\": 0}}");

        var r = Run("--config", config, "--synth-samples", "100", "--epochs", "1", "--out", OutDir);

        AssertRefused(r, "--batch-size", "0");
    }

    // ---------------------------------------------------------------- known gaps (skipped until the product is fixed)

    [Theory]
    [InlineData("--epochs", "x")]
    [InlineData("--lr", "inf")]
    [InlineData("--route", "foo")]
    public void UnparsableOptionValueIsRefused(string option, string value)
    {
        string[] tiny = option == "--epochs" ? ["--synth-samples", "100"] : ["--epochs", "1", "--synth-samples", "100"];

        var r = Run([.. tiny, option, value]);

        AssertRefused(r, option, $"'{value}'");
    }

    [Fact]
    public void NegativeMomentumIsRefused()
    {
        var r = RunTiny("--optimizer", "sgd", "--momentum", "-1");

        AssertRefused(r, "--momentum", "(got -1)");
        Assert.False(Directory.Exists(OutDir));
    }

    [Theory]
    [InlineData("--subject", "id")]
    [InlineData("--delimiter", "tab")]
    public void TableOptionWithoutDataIsRefused(string option, string value)
    {
        var r = RunTiny(option, value);

        AssertRefused(r, option, "--data");
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>Runs with tiny synthetic data into <see cref="OutDir"/>, plus <paramref name="extra"/>.</summary>
    private (int Exit, string Out, string Err) RunTiny(params string[] extra) =>
        Run(["--epochs", "1", "--synth-samples", "100", "--out", OutDir, .. extra]);

    /// <summary>Runs <c>autospec run</c>; adds <c>--out</c> (into the temp folder) unless given.</summary>
    private (int Exit, string Out, string Err) Run(params string[] args)
    {
        string[] full = args.Contains("--out") ? ["run", .. args] : ["run", "--out", OutDir, .. args];
        return CliRunner.Run(full);
    }

    /// <summary>The refusal line (see <see cref="Refusal.AssertErrorLine"/>) and no complete run at <see cref="OutDir"/>.</summary>
    private string AssertRefused((int Exit, string Out, string Err) r, params string[] mentions)
    {
        var line = Refusal.AssertErrorLine(r, mentions);
        AssertNoCompleteRun(OutDir);
        return line;
    }

    private static void AssertNoCompleteRun(string directory)
    {
        var manifest = Path.Combine(directory, "manifest.json");
        if (!File.Exists(manifest))
        {
            return;
        }
        using var doc = ReadManifest(directory);
        Assert.NotEqual("complete", doc.RootElement.GetProperty("status").GetString());
    }

    private static JsonDocument ReadManifest(string directory) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "manifest.json")));


    /// <summary>
    /// Writes a small CSV (label y ∈ {a, b}, group g ∈ {siteA, siteB}, features f1..f3) where every label occurs in
    /// every group; <paramref name="edit"/> may change the fields [y, g, f1, f2, f3] of row i (0-based).
    /// </summary>
    private string WriteCsv(string name, int rows = 40, Action<int, string[]>? edit = null)
    {
        var text = new StringBuilder(Header).Append('\n');
        for (int i = 0; i < rows; i++)
        {
            string[] fields =
            [
                i % 2 == 0 ? "a" : "b",
                (i / 2) % 2 == 0 ? "siteA" : "siteB",
                (i * 0.37 % 1.0).ToString("F3", CultureInfo.InvariantCulture),
                ((i * 7 % 11) - 5.5).ToString("F1", CultureInfo.InvariantCulture),
                (i % 2 == 0 ? 1.0 + (i * 0.01) : -1.0 - (i * 0.01)).ToString("F2", CultureInfo.InvariantCulture),
            ];
            edit?.Invoke(i, fields);
            text.AppendJoin(',', fields).Append('\n');
        }
        var path = _temp.Combine(name);
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
