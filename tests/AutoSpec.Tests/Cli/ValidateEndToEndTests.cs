using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Cli;

[Collection("cli")]
public class ValidateEndToEndTests
{
    [Fact]
    public void ValidateRunsItsAnalysesAndReportsRatesWithIntervals()
    {
        using var tmp = new TempFolder();
        var (exit, output, err) = CliRunner.Run("validate", "--out", tmp.Path, "--conditions", "MeanShift,None",
            "--analyses", "1", "--runs", "2", "--synth-samples", "200", "--epochs", "1");
        Assert.True(exit == 0, err);
        Assert.Contains("mean_shift: power", output);
        Assert.Contains("none: false-positive rate", output);
        Assert.Contains("95% CI", output);
        var summary = File.ReadAllLines(tmp.Combine("validation_summary.csv"));
        Assert.Equal("condition,analyses,detected,rate,ci95_low,ci95_high,failed", summary[0]);
        Assert.Equal(3, summary.Length);
        Assert.True(File.Exists(tmp.Combine("validation_analyses.parquet")));
        // Every run of every analysis is a complete run folder with its own seed.
        var manifests = Directory.GetFiles(tmp.Path, "manifest.json", SearchOption.AllDirectories);
        Assert.Equal(4, manifests.Length);
    }

    [Theory]
    [InlineData("--runs", "1")]
    [InlineData("--conditions", "Bigger")]
    [InlineData("--analyses", "0")]
    public void BadOptionsGiveOneErrorLine(string option, string value)
    {
        using var tmp = new TempFolder();
        var (exit, _, err) = CliRunner.Run("validate", "--out", tmp.Path, option, value);
        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", err);
        Assert.Single(err.Trim().Split('\n'));
    }
}
