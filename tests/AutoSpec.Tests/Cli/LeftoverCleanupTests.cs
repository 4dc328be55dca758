using AutoSpec.Record;
using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Cli;

/// <summary>
/// A run killed between "complete" and its clean-up leaves its checkpoint, lock and part files; the next run or
/// analyze of the folder finishes the clean-up, so a glob of parts/ never doubles rows.
/// </summary>
[Collection("cli")]
public sealed class LeftoverCleanupTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A complete run with the leftovers of a kill right after its manifest said "complete".</summary>
    private string KilledDuringCleanup()
    {
        var dir = _temp.Combine("run");
        var r = CliRunner.Run("run", "--epochs", "1", "--synth-samples", "100", "--quantities", "grad", "--threads", "1", "--out", dir);
        Assert.True(r.Exit == 0, r.Err);
        Directory.CreateDirectory(Path.Combine(dir, "parts"));
        File.Copy(Path.Combine(dir, "metrics.parquet"), Path.Combine(dir, "parts", "metrics-00001.parquet"));
        File.Copy(Path.Combine(dir, "spectra.parquet"), Path.Combine(dir, "parts", "spectra-00001.parquet"));
        File.WriteAllText(Path.Combine(dir, "checkpoint.bin"), "stale");
        File.WriteAllText(Path.Combine(dir, RunFiles.Lock), "");
        return dir;
    }

    private static void AssertCleaned(string dir)
    {
        Assert.False(Directory.Exists(Path.Combine(dir, "parts")), "parts/ must be gone");
        Assert.False(File.Exists(Path.Combine(dir, "checkpoint.bin")));
        Assert.False(File.Exists(Path.Combine(dir, RunFiles.Lock)));
        Assert.True(File.Exists(Path.Combine(dir, "metrics.parquet")));
    }

    [Fact]
    public void AnalyzeFinishesTheCleanUp()
    {
        var dir = KilledDuringCleanup();

        var r = CliRunner.Run("analyze", dir, "--out", _temp.Combine("results"));

        Assert.True(r.Exit == 0, r.Err);
        AssertCleaned(dir);
    }

    [Fact]
    public void RunFinishesTheCleanUpEvenWhenItRefusesTheFolder()
    {
        var dir = KilledDuringCleanup();

        var r = CliRunner.Run("run", "--epochs", "1", "--out", dir);

        Refusal.AssertErrorLine(r, "--overwrite");
        AssertCleaned(dir);
    }

    [Fact]
    public void ATruncatedTableIsNamedInTheError()
    {
        var dir = KilledDuringCleanup();
        RunFiles.FinishCompleted(dir);
        var metrics = Path.Combine(dir, "metrics.parquet");
        var bytes = File.ReadAllBytes(metrics);
        File.WriteAllBytes(metrics, bytes[..(bytes.Length / 2)]);

        var r = CliRunner.Run("report", dir, "--out", _temp.Combine("report.html"));

        Refusal.AssertErrorLine(r, "metrics.parquet", "truncated or damaged");
        Assert.False(File.Exists(_temp.Combine("report.html")));
    }
}

/// <summary>analyze and report replace their own earlier output, never a user's files.</summary>
[Collection("cli")]
public sealed class AnalysisOutputTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Run()
    {
        var dir = _temp.Combine("run");
        var r = CliRunner.Run("run", "--epochs", "1", "--synth-samples", "100", "--quantities", "grad", "--threads", "1", "--out", dir);
        Assert.True(r.Exit == 0, r.Err);
        return dir;
    }

    [Fact]
    public void ReportDoesNotReplaceAUsersFile()
    {
        var run = Run();
        var target = _temp.Combine("data.csv");
        File.WriteAllText(target, "precious");

        var r = CliRunner.Run("report", run, "--out", target);

        Refusal.AssertErrorLine(r, "--out", "data.csv", "not an AutoSpec report");
        Assert.Equal("precious", File.ReadAllText(target));
    }

    [Fact]
    public void AnalyzeWritesOnlyIntoItsOwnFolders()
    {
        var run = Run();
        var mine = _temp.Combine("mine");
        Directory.CreateDirectory(mine);
        File.WriteAllText(Path.Combine(mine, "findings.csv"), "precious");

        var refused = CliRunner.Run("analyze", run, "--out", mine);
        var intoRun = CliRunner.Run("analyze", run, "--out", run);
        var first = CliRunner.Run("analyze", run, "--out", _temp.Combine("results"));
        var again = CliRunner.Run("analyze", run, "--out", _temp.Combine("results"));

        Refusal.AssertErrorLine(refused, "--out", "no analysis.json");
        Assert.Equal("precious", File.ReadAllText(Path.Combine(mine, "findings.csv")));
        Refusal.AssertErrorLine(intoRun, "--out", "run folder");
        Assert.True(first.Exit == 0, first.Err);
        Assert.True(again.Exit == 0, again.Err);
    }
}
