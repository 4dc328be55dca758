using System.Collections.Concurrent;
using System.Diagnostics;
using AutoSpec.Introspection;
using AutoSpec.Sweeps;
using Spectre.Console;

namespace AutoSpec.Cli;

/// <summary>
/// Runs the runs of a sweep that are not complete in parallel child processes of this same program
/// (<c>sweep run DIR --task-index I</c>), each with its own threads, output to logs/ID.log. Processes, not threads:
/// TorchSharp's thread count is per process, a crash takes one run only, and a cluster task runs the same code.
/// </summary>
internal static class SweepLocalExecutor
{
    public static int Run(string sweepDirectory, IReadOnlyList<SweepRun> plan, int workers, int threads, BackgroundMode? background = null)
    {
        var pending = plan.Where(r => SweepFolder.RunStatus(SweepFolder.RunDirectory(sweepDirectory, r.Id)) != "complete").ToList();
        int skipped = plan.Count - pending.Count;
        Console.WriteLine($"sweep {sweepDirectory}: {Plural.Of(plan.Count, "run")}, {skipped} already complete, {pending.Count} to run " +
            $"with {Plural.Of(Math.Min(workers, Math.Max(1, pending.Count)), "worker")} × {Plural.Of(threads, "thread")}.");
        if (pending.Count == 0)
        {
            return ExitCodes.Success;
        }
        var queue = new ConcurrentQueue<SweepRun>(pending);
        var outcomes = new ConcurrentDictionary<string, int>();
        (SweepRun Run, string Reason)? firstFailure = null;
        int done = 0;
        var gate = new object();
        // Ctrl+C: the children got the same signal from the terminal and mark their runs failed; wait for them.
        // SIGTERM reaches only this process when sent to its pid (SLURM signals every process of a job, `kill` one):
        // it is passed on to the running children, which stop and mark their runs failed, and no new run starts.
        using var interruption = new Interruption(onTerminate: () =>
        {
            foreach (var pid in Children.Keys)
            {
                Signal(pid);
            }
        });
        var cancel = interruption.Token;
        void Work(Action<SweepRun, int, string?, TimeSpan> finished)
        {
            while (!cancel.IsCancellationRequested && queue.TryDequeue(out var run))
            {
                var clock = Stopwatch.StartNew();
                var (exit, reason) = RunChild(sweepDirectory, run, threads, background);
                outcomes[run.Id] = exit;
                finished(run, exit, reason, clock.Elapsed);
            }
        }
        void Report(SweepRun run, int exit, string? reason, TimeSpan elapsed)
        {
            lock (gate)
            {
                done++;
                var log = SweepFolder.LogPath(sweepDirectory, run.Id);
                var what = exit switch
                {
                    ExitCodes.Success => "complete",
                    SweepTask.Busy => "skipped (another process is running it)",
                    _ => reason is null ? $"failed (exit {exit}; see {log})" : $"failed (exit {exit}): {reason} (log: {log})",
                };
                if (exit is not (ExitCodes.Success or SweepTask.Busy) && firstFailure is null)
                {
                    firstFailure = (run, reason ?? $"exit {exit}, no output");
                }
                Console.WriteLine($"[{done}/{pending.Count}] {run.Id}: {what} ({elapsed.TotalSeconds:F1} s)");
            }
        }
        int n = Math.Min(workers, pending.Count);
        if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var bar = ctx.AddTask($"{pending.Count} runs", maxValue: pending.Count);
                    var tasks = Enumerable.Range(0, n).Select(_ => Task.Run(() => Work((r, e, why, t) =>
                    {
                        Report(r, e, why, t);
                        bar.Increment(1);
                    }))).ToArray();
                    Task.WaitAll(tasks);
                });
        }
        else
        {
            Task.WaitAll([.. Enumerable.Range(0, n).Select(_ => Task.Run(() => Work(Report)))]);
        }
        int failed = outcomes.Count(o => o.Value is not (ExitCodes.Success or SweepTask.Busy));
        int busy = outcomes.Count(o => o.Value == SweepTask.Busy);
        Console.WriteLine($"sweep: {outcomes.Count(o => o.Value == ExitCodes.Success)} completed, {skipped} skipped, {busy} busy elsewhere, {failed} failed.");
        if (firstFailure is { } first)
        {
            // The reason, not only where to look: a configuration or data problem usually fails every run alike.
            Console.WriteLine($"first failure: run {first.Run.Id}: {first.Reason} (log: {SweepFolder.LogPath(sweepDirectory, first.Run.Id)})");
        }
        return interruption.Stopped ? interruption.ExitCode
            : failed > 0 ? ExitCodes.Failure : ExitCodes.Success;
    }

    /// <summary>Running child processes by pid, so that SIGTERM can be passed on to them.</summary>
    private static readonly ConcurrentDictionary<int, bool> Children = new();

    private static void Signal(int pid)
    {
        try
        {
            using var kill = Process.Start("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No kill(1): the child runs on, and its run is resumed by the next sweep run.
        }
    }

    /// <summary>Runs one run in a child process; its exit code and, when it failed, the reason it gave.</summary>
    private static (int Exit, string? Reason) RunChild(string sweepDirectory, SweepRun run, int threads, BackgroundMode? background)
    {
        var (file, prefix) = SweepWorkerCommand.Resolve();
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in prefix.Concat(["sweep", "run", sweepDirectory, "--task-index", run.Index.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
            .. background is { } b ? new[] { "--background", b.ToString() } : []]))
        {
            start.ArgumentList.Add(a);
        }
        using var log = new StreamWriter(SweepFolder.LogPath(sweepDirectory, run.Id), append: true) { AutoFlush = true };
        using var process = new Process { StartInfo = start };
        var logGate = new object();
        // This attempt's output only (the log keeps earlier attempts too): its last error line, else its last line.
        string? lastError = null;
        string? lastLine = null;
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        var started = DateTime.UtcNow;
        process.Start();
        Children[process.Id] = true;
        try
        {
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            process.WaitForExit();
            if (process.ExitCode is ExitCodes.Success or SweepTask.Busy)
            {
                return (process.ExitCode, null);
            }
            lock (logGate)
            {
                return (process.ExitCode, lastError ?? ManifestError(SweepFolder.RunDirectory(sweepDirectory, run.Id), started) ?? lastLine);
            }
        }
        finally
        {
            Children.TryRemove(process.Id, out _);
        }

        void Write(string? line)
        {
            if (line is not null)
            {
                lock (logGate)
                {
                    log.WriteLine(line);
                    if (line.StartsWith("error: ", StringComparison.Ordinal) || line.StartsWith("failed: ", StringComparison.Ordinal))
                    {
                        lastError = line;
                    }
                    if (!string.IsNullOrWhiteSpace(line))
                    {
                        lastLine = line;
                    }
                }
            }
        }
    }

    /// <summary>The error a run's manifest records, when this attempt wrote it (a crash may leave no error line).</summary>
    private static string? ManifestError(string runDirectory, DateTime since)
    {
        var path = Path.Combine(runDirectory, "manifest.json");
        try
        {
            if (!File.Exists(path) || File.GetLastWriteTimeUtc(path) < since.AddSeconds(-1))
            {
                return null;
            }
            using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == System.Text.Json.JsonValueKind.String
                ? "error: " + error.GetString()!.ReplaceLineEndings(" ")
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
