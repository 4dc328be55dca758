using System.Text.Json;
using AutoSpec.Data;
using AutoSpec.Introspection;
using AutoSpec.Record;
using AutoSpec.Sweeps;
using AutoSpec.Training;

namespace AutoSpec.Cli;

/// <summary>
/// Runs one run of a sweep in this process: under the run's lock, skipped when already complete with the same
/// configuration, resumed from its checkpoint when unfinished (killed or failed) with the same configuration,
/// otherwise started (again) in its folder.
/// </summary>
internal static class SweepTask
{
    /// <summary>Exit code of a task whose run another process holds (EX_TEMPFAIL).</summary>
    public const int Busy = 75;

    public static int Execute(string sweepDirectory, SweepRun run, int? threads, BackgroundMode? background = null)
    {
        using var runLock = RunLock.TryAcquire(SweepFolder.LockPath(sweepDirectory, run.Id));
        if (runLock is null)
        {
            Console.Error.WriteLine($"busy: run {run.Id} is being written by another process; left to it.");
            return Busy;
        }
        var directory = SweepFolder.RunDirectory(sweepDirectory, run.Id);
        var config = run.Configuration with
        {
            Out = directory,
            Overwrite = true,
            Training = threads is int t ? run.Configuration.Training with { Threads = t } : run.Configuration.Training,
            Introspection = background is { } b ? run.Configuration.Introspection with { Background = b } : run.Configuration.Introspection,
        };
        var status = SweepFolder.RunStatus(directory);
        if (status == "complete" && SameConfiguration(directory, config))
        {
            RunFiles.FinishCompleted(directory);
            Console.WriteLine($"run {run.Id}: already complete.");
            return ExitCodes.Success;
        }
        if (status is "running" or "failed")
        {
            // The run's lock is ours, so a "running" status is a killed process: resume it when its checkpoint allows.
            if (RunResume.Obstacle(directory, config) is not { } obstacle)
            {
                Console.Error.WriteLine($"run {run.Id}: folder holds a {status} run; resuming it from its checkpoint.");
                config = config with { Overwrite = false };
            }
            else
            {
                Console.Error.WriteLine($"run {run.Id}: folder holds a {status} run that cannot be resumed ({obstacle}); starting it again from scratch.");
            }
        }
        else if (status is not null)
        {
            Console.Error.WriteLine($"run {run.Id}: folder holds a {status} run; starting it again from scratch.");
        }
        using var interruption = new Interruption();
        try
        {
            var (data, warnings) = RunCommand.LoadData(config.Data);
            var commandLine = string.Join(' ', Environment.GetCommandLineArgs().Skip(1));
            var result = Trainer.Run(config, data, warnings, new ConsoleProgress(null), commandLine, interruption.Token,
                cancelReason: () => interruption.Reason);
            Console.WriteLine($"run {run.Id} complete: {result.Directory} ({result.Duration.TotalSeconds:F1} s)");
            return ExitCodes.Success;
        }
        catch (ArgumentException e) when (SweepPlanner.IsSetting(e.ParamName))
        {
            // The run's settings come from the specification's JSON: name the field there (model.kernel), not a flag.
            throw new InvalidInputException($"run {run.Id}: {OptionErrors.Renamed(e, SweepPlanner.JsonField)}");
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"run {run.Id}: " + RunCommand.InterruptedMessage(interruption.Reason, config.Training.Checkpoint));
            return interruption.ExitCode;
        }
    }

    /// <summary>Whether a finished run used this configuration (ignoring folder, thread and checkpoint settings).</summary>
    private static bool SameConfiguration(string directory, RunConfiguration planned)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "manifest.json")));
            var recorded = document.RootElement.GetProperty("configuration").Deserialize<RunConfiguration>(RunManifest.Json);
            return recorded is not null && Comparable(recorded) == Comparable(planned);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or IOException)
        {
            return false;
        }
    }

    private static string Comparable(RunConfiguration c) => JsonSerializer.Serialize(
        c with
        {
            Out = null,
            Overwrite = false,
            Training = c.Training with { Threads = 0, Checkpoint = true, CheckpointEverySteps = 0 },
            Introspection = c.Introspection with { Background = BackgroundMode.Auto, SpectraWorkers = 0 },
        }, RunManifest.Json);
}
