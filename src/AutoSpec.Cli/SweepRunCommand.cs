using System.CommandLine;
using AutoSpec.Introspection;
using AutoSpec.Sweeps;

namespace AutoSpec.Cli;

/// <summary>
/// <c>autospec sweep run SPEC</c>: all runs in parallel worker processes (<c>--workers</c>), or exactly one run in
/// this process (<c>--task-index I</c>, what each task of a SLURM array does).
/// </summary>
internal static class SweepRunCommand
{
    public static Command Create()
    {
        var spec = SweepCommand.SpecArgument();
        var output = SweepCommand.OutOption();
        var workers = new Option<int?>("--workers") { Description = "Parallel worker processes (default: one per two cores)." };
        var taskIndex = new Option<int?>("--task-index") { Description = "Run only run I of the plan, in this process (SLURM: $SLURM_ARRAY_TASK_ID)." };
        var threads = new Option<int?>("--threads") { Description = "TorchSharp threads per run (default: cores / workers; with --task-index: the configuration's)." };
        var background = new Option<BackgroundMode?>("--background")
        {
            Description = "Introspection beside training in each run (Auto, On, Off; default: the configuration's, but Off when the workers' threads fill every core).",
        };
        var force = new Option<bool>("--force") { Description = "Adopt a sweep folder made by another specification (runs whose configuration changed are redone)." };
        var command = new Command("run", "Run a sweep: every run not yet complete, in parallel processes; or one run with --task-index.")
        {
            spec, output, workers, taskIndex, threads, background, force,
        };
        command.SetAction(p => SweepCommand.Guard(() =>
        {
            var s = SweepSpecification.Load(p.GetValue(spec)!, p.GetValue(output));
            if (p.GetValue(taskIndex) is null)
            {
                SweepCommand.CheckRunsToDo(s);
            }
            var plan = SweepFolder.Prepare(s, p.GetValue(force));
            if (p.GetValue(threads) is <= 0)
            {
                throw new InvalidInputException($"--threads must be a positive integer (got {p.GetValue(threads)}).");
            }
            if (p.GetValue(taskIndex) is int index)
            {
                if (index < 0 || index >= plan.Count)
                {
                    throw new InvalidInputException(
                        $"--task-index {index} is out of range: the sweep has {plan.Count} run{(plan.Count == 1 ? "" : "s")} (indices 0–{plan.Count - 1}).");
                }
                return SweepTask.Execute(s.OutDirectory, plan[index], p.GetValue(threads), p.GetValue(background));
            }
            int cores = Environment.ProcessorCount;
            int n = p.GetValue(workers) ?? Math.Max(1, cores / 2);
            if (n <= 0)
            {
                throw new InvalidInputException($"--workers must be a positive integer (got {n}).");
            }
            int perProcess = p.GetValue(threads) ?? Math.Max(1, cores / n);
            // A background thread per run would only compete with the other workers for cores they already fill.
            var mode = p.GetValue(background) ?? (n * perProcess >= cores ? BackgroundMode.Off : null);
            return SweepLocalExecutor.Run(s.OutDirectory, plan, n, perProcess, mode);
        }));
        return command;
    }
}
