using System.CommandLine;
using AutoSpec.Sweeps;

namespace AutoSpec.Cli;

/// <summary><c>autospec sweep</c>: plan, run (locally or one task of a cluster array) and schedule sweeps.</summary>
internal static class SweepCommand
{
    /// <summary>The specification file, or a sweep folder (which remembers its specification).</summary>
    public static Argument<string> SpecArgument() => new("SPEC")
    {
        Description = "Sweep specification (JSON: base configuration + axes), or a sweep folder made from one.",
    };

    /// <summary>Replaces the "out" of the specification.</summary>
    public static Option<string?> OutOption() => new("--out")
    {
        Description = "Sweep folder (default: \"out\" of the specification, else a folder named after the file beside it).",
    };

    public static Command Create() => new("sweep", "Runs over seeds × folds × models × any configuration setting, locally or on SLURM.")
    {
        SweepPlanCommand.Create(),
        SweepRunCommand.Create(),
        SweepSlurmCommand.Create(),
    };

    /// <summary>
    /// Checks every run of <paramref name="spec"/> that is not complete yet against its data (each source loaded once)
    /// and prints the loaders' warnings; a run that would fail is refused here, before the folder is written or a
    /// worker or array task starts, instead of failing in a moment with the reason in its log.
    /// </summary>
    public static void CheckRunsToDo(SweepSpecification spec)
    {
        var toDo = spec.Plan()
            .Where(r => SweepFolder.RunStatus(SweepFolder.RunDirectory(spec.OutDirectory, r.Id)) != "complete")
            .ToList();
        foreach (var warning in SweepPlanner.CheckRuns(spec, toDo))
        {
            Console.Error.WriteLine($"warning: {warning}");
        }
    }

    /// <summary>Runs a command body with the CLI's error conventions (one "error:" line, exit 2 for bad input).</summary>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (InvalidInputException e)
        {
            // One line, even when the message echoes a value the user typed with a line break in it.
            Console.Error.WriteLine($"error: {e.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.InvalidInput;
        }
        catch (ArgumentException e) when (OptionFlags.TryDescribe(e, out var message))
        {
            // A run option the library refused, shown under the flag; other ArgumentExceptions are bugs (below).
            Console.Error.WriteLine($"error: {message.ReplaceLineEndings(" ")}");
            return ExitCodes.InvalidInput;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled.");
            return ExitCodes.Cancelled;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"failed: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.Failure;
        }
    }
}
