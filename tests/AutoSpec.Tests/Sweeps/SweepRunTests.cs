using System.Text.Json;
using AutoSpec.Record;
using AutoSpec.Sweeps;
using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Sweeps;

[Collection("cli")]
public class SweepRunTests
{
    /// <summary>Two tiny runs (seeds 0 and 1).</summary>
    internal const string Spec = """
        {
          "base": { "training": { "epochs": 2, "batch_size": 50 }, "data": { "synthetic": { "samples": 200 } },
                    "introspection": { "quantities": "grad" } },
          "axes": { "training.seed": [0, 1] }
        }
        """;

    [Fact]
    public async Task WorkersRunEveryRunOnceThenSkipThemAndQueryAcrossRuns()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("study.json");
        File.WriteAllText(path, Spec);
        var (exit, output, err) = CliRunner.Run("sweep", "run", path, "--workers", "2");
        Assert.True(exit == 0, output + err);
        var folders = SweepFolder.RunFolders(path);
        Assert.Equal([tmp.Combine("study", "runs", "seed-0"), tmp.Combine("study", "runs", "seed-1")], folders);
        foreach (var folder in folders)
        {
            using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));
            Assert.Equal("complete", manifest.RootElement.GetProperty("status").GetString());
            Assert.Equal(Path.GetFileName(folder), manifest.RootElement.GetProperty("run").GetString());
        }
        var seeds = (await ParquetColumns.ReadAsync(Path.Combine(folders[1], "metrics.parquet")))["seed"].Distinct();
        Assert.Equal([1], seeds.Cast<int>());

        var again = CliRunner.Run("sweep", "run", path);
        Assert.Equal(0, again.Exit);
        Assert.Contains("2 already complete, 0 to run", again.Out);

        var query = CliRunner.Run("query", tmp.Combine("study"),
            "SELECT r.training_seed, count(DISTINCT m.step) AS steps FROM metrics m JOIN runs r USING (run) GROUP BY ALL ORDER BY 1", "--csv");
        Assert.True(query.Exit == 0, query.Err);
        Assert.Equal(["training_seed,steps", "0,8", "1,8"], query.Out.Trim().Split('\n'));
        var bad = CliRunner.Run("query", path, "SELECT nope FROM metrics");
        Assert.Equal(2, bad.Exit);
        Assert.StartsWith("error: SQL:", bad.Err);
    }

    [Fact]
    public void ARunHeldByAnotherProcessIsLeftToIt()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("study.json");
        File.WriteAllText(path, Spec);
        Assert.Equal(0, CliRunner.Run("sweep", "plan", path).Exit);
        Assert.Equal(0, CliRunner.Run("sweep", "slurm", path).Exit);
        // Another process's lock: a second open of the lock file with FileShare.None fails (flock per open file).
        using (var held = RunLock.TryAcquire(SweepFolder.LockPath(tmp.Combine("study"), "seed-0")))
        {
            Assert.NotNull(held);
            Assert.Null(RunLock.TryAcquire(SweepFolder.LockPath(tmp.Combine("study"), "seed-0")));
            var (exit, _, err) = CliRunner.Run("sweep", "run", path, "--task-index", "0");
            Assert.Equal(75, exit);
            Assert.Contains("busy", err);
            Assert.False(Directory.Exists(tmp.Combine("study", "runs", "seed-0")));
        }
        Assert.NotNull(RunLock.TryAcquire(SweepFolder.LockPath(tmp.Combine("study"), "seed-0")));
    }
}
