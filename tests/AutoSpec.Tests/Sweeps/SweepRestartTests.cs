using System.Diagnostics;
using AutoSpec.Sweeps;
using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Sweeps;

/// <summary>
/// A run killed mid-way without a checkpoint (checkpoints switched off) is started again from scratch in its folder:
/// its tables then equal those of an uninterrupted run with the same configuration, without duplicated steps.
/// Resuming from a checkpoint is tested in <see cref="ResumeTests"/>.
/// </summary>
[Collection("cli")]
public class SweepRestartTests
{
    private const string Spec = """
        {
          "base": { "training": { "epochs": 6, "batch_size": 50, "checkpoint": false }, "data": { "synthetic": { "samples": 200 } },
                    "introspection": { "quantities": "grad" } },
          "axes": { "training.seed": [3] }
        }
        """;

    [Fact]
    public async Task AKilledRunIsRedoneAndEqualsAnUninterruptedOne()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("study.json");
        File.WriteAllText(path, Spec);
        Assert.Equal(0, CliRunner.Run("sweep", "plan", path).Exit);
        Assert.Equal(0, CliRunner.Run("sweep", "slurm", path).Exit);
        var runDir = tmp.Combine("study", "runs", "seed-3");

        // Kill the worker process as soon as its first part file is on disk.
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "AutoSpec.Cli"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "sweep", "run", tmp.Combine("study"), "--task-index", "0", "--threads", "1" })
        {
            start.ArgumentList.Add(a);
        }
        using (var worker = Process.Start(start)!)
        {
            var clock = Stopwatch.StartNew();
            while (!worker.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60)
                && !(Directory.Exists(Path.Combine(runDir, "parts")) && Directory.GetFiles(Path.Combine(runDir, "parts"), "metrics-*.parquet").Length > 0))
            {
                Thread.Sleep(20);
            }
            Assert.False(worker.HasExited, "the run ended before it could be killed");
            worker.Kill(entireProcessTree: true);
            worker.WaitForExit();
        }
        Assert.Equal("running", SweepFolder.RunStatus(runDir));

        var (exit, output, err) = CliRunner.Run("sweep", "run", path, "--task-index", "0");
        Assert.True(exit == 0, output + err);
        Assert.Contains("starting it again from scratch", err);
        Assert.Equal("complete", SweepFolder.RunStatus(runDir));

        var reference = tmp.Combine("reference");
        Assert.Equal(0, CliRunner.Run("run", "--config", tmp.Combine("study", "configs", "seed-3.json"), "--out", reference, "--run-id", "seed-3").Exit);
        foreach (var table in new[] { "metrics", "curves" })
        {
            var a = await ParquetColumns.ReadAsync(Path.Combine(runDir, table + ".parquet"));
            var b = await ParquetColumns.ReadAsync(Path.Combine(reference, table + ".parquet"));
            Assert.Equal(b.Keys, a.Keys);
            foreach (var column in a.Keys)
            {
                Assert.Equal(b[column], a[column]);
            }
        }
        Assert.False(Directory.Exists(Path.Combine(runDir, "parts")));
    }
}
