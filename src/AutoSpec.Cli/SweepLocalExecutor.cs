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
        void Work(Action<SweepRun, int, TimeSpan> finished)
        {
            while (!cancel.IsCancellationRequested && queue.TryDequeue(out var run))
            {
                var clock = Stopwatch.StartNew();
                int exit = RunChild(sweepDirectory, run, threads, background);
                outcomes[run.Id] = exit;
                finished(run, exit, clock.Elapsed);
            }
        }
        void Report(SweepRun run, int exit, TimeSpan elapsed)
        {
            lock (gate)
            {
                done++;
                var what = exit switch
                {
                    ExitCodes.Success => "complete",
                    SweepTask.Busy => "skipped (another process is running it)",
                    _ => $"failed (exit {exit}; see {SweepFolder.LogPath(sweepDirectory, run.Id)})",
                };
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
                    var tasks = Enumerable.Range(0, n).Select(_ => Task.Run(() => Work((r, e, t) =>
                    {
                        Report(r, e, t);
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

    private static int RunChild(string sweepDirectory, SweepRun run, int threads, BackgroundMode? background)
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
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Start();
        Children[process.Id] = true;
        try
        {
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            process.WaitForExit();
            return process.ExitCode;
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
                }
            }
        }
    }
}
