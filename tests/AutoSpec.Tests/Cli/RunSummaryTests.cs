using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Cli;

/// <summary>The summary a run ends with: the data, per-group validation scores, the analysis's findings, what next.</summary>
[Collection("cli")]
public partial class RunSummaryTests
{
    [GeneratedRegex(@"^  (?<layer>\S+): .*\(strongest .*: excess (?<excess>\S+), z = (?<z>\S+), FDR-adjusted p = (?<p>[^)]+)\)$")]
    private static partial Regex FindingLine();

    [Fact]
    public void ARunEndsWithTheDataTheGroupScoresTheFindingsOfAnalyzeAndTheNextCommands()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Combine("run");
        var (exit, output, err) = CliRunner.Run("run", "--out", dir, "--epochs", "2", "--synth-samples", "300", "--batch-size", "32",
            "--quantities", "grad", "--threads", "1");
        Assert.True(exit == 0, err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        int start = lines.FindIndex(l => l.StartsWith("data: ", StringComparison.Ordinal));
        Assert.True(start >= 0, output);
        var summary = lines[start..];
        Assert.InRange(summary.Count, 5, 12);

        // The data as loaded: 300 subjects, balanced groups and labels.
        Assert.Equal("data: 300 subjects, 32 features from gaussian-mixture; groups A 150, B 150 (subjects); labels 0 150 (50 %), 1 150 (50 %)", summary[0]);

        // Per-group validation scores: as recorded in the manifest, and the groups' accuracies average to the overall one.
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")));
        var byGroup = manifest.RootElement.GetProperty("validation_by_group").EnumerateArray().ToList();
        Assert.Equal(["A", "B"], byGroup.Select(g => g.GetProperty("group").GetString()));
        int samples = byGroup.Sum(g => g.GetProperty("samples").GetInt32());
        Assert.Equal(60, samples);
        double overall = manifest.RootElement.GetProperty("final").GetProperty("validation_accuracy").GetDouble();
        Assert.Equal(overall, byGroup.Sum(g => g.GetProperty("accuracy").GetDouble() * g.GetProperty("samples").GetInt32()) / samples, 10);
        var validation = summary[1];
        // The same number, rounded the same way, as the line the run has always ended with.
        Assert.Contains($"; validation accuracy {overall.ToString("F3", CultureInfo.InvariantCulture)}", lines[start - 1]);
        Assert.StartsWith("validation (60 samples): accuracy " + overall.ToString("F3", CultureInfo.InvariantCulture), validation);
        foreach (var g in byGroup)
        {
            Assert.Contains($"group {g.GetProperty("group").GetString()} ({g.GetProperty("samples").GetInt32()}) " +
                g.GetProperty("accuracy").GetDouble().ToString("F3", CultureInfo.InvariantCulture) + ", AUC ", validation);
        }

        // The group differences are those of `autospec analyze RUN` with its defaults: same counts, same numbers.
        using var results = new TempFolder();
        var (analyzeExit, analysis, analyzeErr) = CliRunner.Run("analyze", dir, "--out", results.Path);
        Assert.True(analyzeExit == 0, analyzeErr);
        var counts = Regex.Match(analysis, @"(\d+) subject-level tests \(0 without a p-value\), (\d+) significant after FDR, (\d+) findings");
        Assert.True(counts.Success, analysis);
        Assert.Contains($"): {counts.Groups[2].Value} of {counts.Groups[1].Value} tests significant at FDR 0.05, {counts.Groups[3].Value} findings", summary[2]);
        var findings = summary.Where(l => FindingLine().IsMatch(l)).ToList();
        Assert.Equal(Math.Min(3, int.Parse(counts.Groups[3].Value, CultureInfo.InvariantCulture)), findings.Count);
        var sentences = analysis.Split('\n').Where(l => l.Contains("In layer", StringComparison.Ordinal)).ToList();
        foreach (var line in findings)
        {
            var m = FindingLine().Match(line);
            Assert.Contains(sentences, s => s.Contains($"In layer {m.Groups["layer"].Value},", StringComparison.Ordinal)
                && s.Contains($"excess {m.Groups["excess"].Value} [", StringComparison.Ordinal)
                && s.Contains($"z = {m.Groups["z"].Value}, FDR-adjusted p = {m.Groups["p"].Value};", StringComparison.Ordinal));
        }
        // What n counts: every subject of the data set, whose labels the test exchanged.
        Assert.Contains(summary, l => l.StartsWith("  n = 300 subjects (150 A, 150 B) whose group labels were exchanged", StringComparison.Ordinal));

        Assert.Equal($"next: autospec report {dir} --out {dir}/report.html", summary[^2].Split("    #")[0]);
        Assert.StartsWith($"      autospec analyze {dir} --out {dir}/analysis", summary[^1]);
    }
}
