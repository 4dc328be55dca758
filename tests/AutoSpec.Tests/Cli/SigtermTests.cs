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
