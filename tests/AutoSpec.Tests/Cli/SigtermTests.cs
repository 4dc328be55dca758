using System.Diagnostics;
using System.Text.Json;
using AutoSpec.Tests.Support;
using AutoSpec.Training;

namespace AutoSpec.Tests.Cli;

/// <summary>SIGTERM (a SLURM time limit) stops a run like Ctrl+C: checkpoint kept, folder marked failed, exit 143.</summary>
public sealed class SigtermTests
{
    [Fact]
    public async Task SigtermMarksTheRunFailedAndExits143()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Combine("run");
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "AutoSpec.Cli"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "run", "--out", dir, "--epochs", "200", "--synth-samples", "400", "--threads", "1", "--quantities", "grad", "--permutations", "0" })
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        var checkpoint = Path.Combine(dir, TrainingCheckpoint.FileName);
        while (!process.HasExited && !File.Exists(checkpoint) && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            Thread.Sleep(20);
        }
        Assert.False(process.HasExited, "the run ended before it could be signalled");
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }
        Assert.True(process.WaitForExit(30_000), "the run did not stop after SIGTERM");

        Assert.Equal(143, process.ExitCode);
        Assert.Contains("terminated by SIGTERM", await stderr);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")));
        Assert.Equal("failed", manifest.RootElement.GetProperty("status").GetString());
        Assert.Contains("SIGTERM", manifest.RootElement.GetProperty("error").GetString());
        Assert.True(File.Exists(checkpoint));
    }

    [Fact]
    public void TheInterruptionMessageSaysWhetherTheRunCanResume()
    {
        Assert.Contains("resume from its last checkpoint", AutoSpec.Cli.RunCommand.InterruptedMessage("cancelled by the user (Ctrl+C)", checkpoints: true));
        var without = AutoSpec.Cli.RunCommand.InterruptedMessage("cancelled by the user (Ctrl+C)", checkpoints: false);
        Assert.Contains("--no-checkpoint", without);
        Assert.DoesNotContain("resume from", without);
    }
}

/// <summary>SIGTERM sent to a local sweep's parent process reaches its workers: their runs are marked failed, exit 143.</summary>
public sealed class SweepSigtermTests
{
    [Fact]
    public async Task SigtermToTheParentStopsTheWorkers()
    {
        using var tmp = new TempFolder();
        var spec = tmp.Combine("study.json");
        File.WriteAllText(spec, """{ "base": { "training": { "epochs": 200, "threads": 1 }, "data": { "synthetic": { "samples": 400 } }, "introspection": { "permutations": 0 } }, "axes": { "training.seed": [0, 1] } }""");
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "AutoSpec.Cli")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "sweep", "run", spec, "--workers", "1", "--threads", "1" })
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        var checkpoint = tmp.Combine("study", "runs", "seed-0", TrainingCheckpoint.FileName);
        while (!process.HasExited && !File.Exists(checkpoint) && clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            Thread.Sleep(20);
        }
        Assert.False(process.HasExited, "the sweep ended before it could be signalled");
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }
        Assert.True(process.WaitForExit(60_000), "the sweep did not stop after SIGTERM");
        await stdout;

        Assert.Equal(143, process.ExitCode);
        using var manifest = JsonDocument.Parse(File.ReadAllText(tmp.Combine("study", "runs", "seed-0", "manifest.json")));
        Assert.Equal("failed", manifest.RootElement.GetProperty("status").GetString());
        Assert.Contains("SIGTERM", manifest.RootElement.GetProperty("error").GetString());
        Assert.False(Directory.Exists(tmp.Combine("study", "runs", "seed-1")) && File.Exists(tmp.Combine("study", "runs", "seed-1", "manifest.json")),
            "no new run may start after SIGTERM");
    }
}
