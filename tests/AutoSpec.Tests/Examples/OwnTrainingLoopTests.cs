using System.Text.Json;
using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Examples;

/// <summary>
/// The README's library example (examples/OwnTrainingLoop) runs, and the run it records is one the command line
/// reads like its own: report and analyze accept it.
/// </summary>
[Collection("cli")]
public class OwnTrainingLoopTests
{
    [Fact]
    public void TheExampleRecordsARunThatReportAndAnalyzeRead()
    {
        using var tmp = new TempFolder();
        var run = tmp.Combine("own-loop");
        OwnTrainingLoop.Program.Train(run, epochs: 3);

        using (var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "manifest.json"))))
        {
            Assert.Equal("complete", manifest.RootElement.GetProperty("status").GetString());
            Assert.Equal("MLP 12-32-2", manifest.RootElement.GetProperty("description").GetProperty("model").GetString());
        }
        foreach (var table in new[] { "spectra", "metrics", "permutations", "permutation_null" })
        {
            Assert.True(File.Exists(Path.Combine(run, table + ".parquet")), table);
        }

        var html = tmp.Combine("report.html");
        var (exit, _, err) = CliRunner.Run("report", run, "--out", html);
        Assert.True(exit == 0, err);
        Assert.Contains("fc1", File.ReadAllText(html));
        (exit, var output, err) = CliRunner.Run("analyze", run, "--out", tmp.Combine("analysis"));
        Assert.True(exit == 0, err);
        Assert.Contains("site-A", output + File.ReadAllText(Directory.GetFiles(tmp.Combine("analysis"), "*.md").FirstOrDefault() ?? html));
    }
}
