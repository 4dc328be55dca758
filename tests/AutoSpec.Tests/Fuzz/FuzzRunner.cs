using System.Diagnostics;
using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Fuzz;

/// <summary>Runs fuzz cases (in this process, or as a child process under a memory limit) and classifies the outcome.</summary>
public static class FuzzRunner
{
    /// <summary>Runs one case in a fresh folder; returns its outcome and a line describing it.</summary>
    public static (FuzzOutcome Outcome, string Detail) Run(FuzzCase c)
    {
        using var temp = new TempFolder();
        string[] args;
        try
        {
            args = c.Setup(temp.Path);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"fuzz case {c.Name}: its setup failed", e);
        }
        var before = c.Precious.ToDictionary(p => p, p => File.ReadAllBytes(Path.Combine(temp.Path, p)));
        var clock = Stopwatch.StartNew();
        var (exit, stdout, stderr, killed) = c.Isolated ? RunChild(c, temp.Path, args) : RunInProcess(c, args);
        var elapsed = clock.Elapsed;

        foreach (var (path, bytes) in before)
        {
            var full = Path.Combine(temp.Path, path);
            if (!File.Exists(full) || !File.ReadAllBytes(full).AsSpan().SequenceEqual(bytes))
            {
                return (FuzzOutcome.DataLost, $"{path} changed or removed (exit {exit})");
            }
        }
        if (killed == "memory")
        {
            return (FuzzOutcome.Crash, $"over the memory limit of {c.MemoryLimit >> 20} MB");
        }
        if (killed == "hang" || exit is null)
        {
            return (FuzzOutcome.Hang, $"no exit after {c.Timeout.TotalSeconds:F0} s");
        }
        var lines = Refusal.Lines(stderr);
        if (stderr.Contains("   at ", StringComparison.Ordinal) || exit is not (0 or 1 or 2 or 130 or 143))
        {
            return (FuzzOutcome.Crash, $"exit {exit}: {Shorten(stderr)}");
        }
        if (exit == 1)
        {
            return (FuzzOutcome.Crash, $"unexpected failure: {Shorten(stderr)}");
        }
        if (exit != c.ExpectedExit && !(c.ExpectedExit == FuzzCase.EitherWay && exit is 0 or 2))
        {
            return (FuzzOutcome.WrongResult, $"exit {exit}, expected {c.ExpectedExit}: {Shorten(stderr)}");
        }
        if (exit == 2)
        {
            var errors = lines.Where(l => !l.StartsWith("warning:", StringComparison.Ordinal)).ToList();
            if (errors.Count != 1 || !errors[0].StartsWith("error: ", StringComparison.Ordinal))
            {
                return (FuzzOutcome.Unclear, $"not one error line: {Shorten(stderr)}");
            }
            var missing = (c.Mentions ?? []).Where(m => !errors[0].Contains(m, StringComparison.Ordinal)).ToList();
            if (missing.Count > 0)
            {
                return (FuzzOutcome.Unclear, $"does not name {string.Join(", ", missing)}: {errors[0]}");
            }
            // Refusals take well under a second; the margin is for a loaded machine, not for slow checks.
            if (elapsed > TimeSpan.FromSeconds(10))
            {
                return (FuzzOutcome.Unclear, $"refused only after {elapsed.TotalSeconds:F1} s: {errors[0]}");
            }
        }
        return (FuzzOutcome.Clean, lines.FirstOrDefault() ?? $"exit {exit}");
    }

    private static string Shorten(string text)
    {
        var one = string.Join(" | ", Refusal.Lines(text).Take(3));
        return one.Length > 300 ? one[..300] + "…" : one;
    }

    private static (int? Exit, string Out, string Err, string? Killed) RunInProcess(FuzzCase c, string[] args)
    {
        var task = Task.Run(() => CliRunner.Run(args));
        if (!task.Wait(c.Timeout))
        {
            // The thread cannot be stopped; it is left to finish while the suite goes on.
            return (null, "", "", "hang");
        }
        var (exit, output, error) = task.Result;
        return (exit, output, error, null);
    }

    /// <summary>
    /// The CLI as a child process, killed when its resident memory passes the case's limit (read from
    /// /proc/PID/status every 20 ms): a memory bomb that regresses fails its case instead of the machine.
    /// </summary>
    private static (int? Exit, string Out, string Err, string? Killed) RunChild(FuzzCase c, string dir, string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "AutoSpec.Cli"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dir,
        };
        // The managed heap gets the same limit, so a large managed allocation fails inside the process too.
        start.Environment["DOTNET_GCHeapHardLimit"] = "0x" + c.MemoryLimit.ToString("X", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        string? killed = null;
        bool terminated = false;
        while (!process.WaitForExit(20))
        {
            if (clock.Elapsed > c.Timeout)
            {
                killed = "hang";
            }
            else if (Rss(process.Id) > c.MemoryLimit)
            {
                killed = "memory";
            }
            if (killed is not null)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                break;
            }
            if (!terminated && c.TerminateWhenExists is { } file && File.Exists(Path.Combine(dir, file)))
            {
                using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                kill.WaitForExit();
                terminated = true;
            }
        }
        return (killed is null ? process.ExitCode : null, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult(), killed);
    }

    private static long Rss(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
            // The process just exited.
        }
        return 0;
    }
}
