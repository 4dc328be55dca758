using System.Diagnostics;
using AutoSpec.Sweeps;
using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Sweeps;

/// <summary>
/// Submits a 2-task array to a real SLURM scheduler on this machine (scripts/slurm-local.sh starts one). Without a
/// responding node the test returns at once and says so on the console: CI runs it only where the script succeeded.
/// </summary>
[Collection("cli")]
public class SlurmIntegrationTests
{
    [Fact]
    public void TwoTaskArrayRunsBothRunsOnTheLocalScheduler()
    {
        if (!NodeResponds())
        {
            Console.WriteLine("SlurmIntegrationTests: no responding SLURM node (run scripts/slurm-local.sh); not run.");
            return;
        }
        using var tmp = new TempFolder();
        var path = tmp.Combine("study.json");
        File.WriteAllText(path, SweepRunTests.Spec);
        var (exit, output, err) = CliRunner.Run("sweep", "slurm", path, "--cpus-per-task", "1", "--mem", "1G", "--time", "00:10:00");
        Assert.True(exit == 0, err);
        var script = tmp.Combine("study", "sweep.sbatch");
        Assert.Contains(script, output);

        // --wait: sbatch returns when every task of the array has ended, with a non-zero code if one failed.
        var (code, text) = Run("sbatch", "--wait", "--parsable", script);
        var logs = string.Join('\n', Directory.GetFiles(tmp.Combine("study", "logs"), "slurm-*.out").Select(File.ReadAllText));
        Assert.True(code == 0, text + logs);
        Assert.Equal(2, Directory.GetFiles(tmp.Combine("study", "logs"), "slurm-*.out").Length);
        var folders = SweepFolder.RunFolders(path);
        Assert.Equal(2, folders.Count);
        Assert.All(folders, f => Assert.Equal("complete", SweepFolder.RunStatus(f)));
    }

    private static bool NodeResponds()
    {
        try
        {
            var (code, text) = Run("sinfo", "-h", "-r", "-o", "%T");
            return code == 0 && text.Split('\n').Any(s => s.Trim().TrimEnd('*') is "idle" or "mixed" or "allocated");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static (int Code, string Output) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out after 3 minutes");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
