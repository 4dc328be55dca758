using System.CommandLine;
using AutoSpec.Sweeps;

namespace AutoSpec.Cli;

/// <summary><c>autospec sweep slurm SPEC</c>: prepares the sweep folder and writes an sbatch job-array script.</summary>
internal static class SweepSlurmCommand
{
    public static Command Create()
    {
        var spec = SweepCommand.SpecArgument();
        var output = SweepCommand.OutOption();
        var time = new Option<string>("--time") { Description = "Wall time per task in SLURM's formats: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS (default 02:00:00).", DefaultValueFactory = _ => "02:00:00" };
        var memory = new Option<string>("--mem") { Description = "Memory per task: a number with an optional unit K, M, G or T (default 4G).", DefaultValueFactory = _ => "4G" };
        var cpus = new Option<int>("--cpus-per-task") { Description = "CPUs per task, also the run's threads (default 2).", DefaultValueFactory = _ => 2 };
        var partition = new Option<string?>("--partition") { Description = "SLURM partition (default: the cluster's)." };
        var account = new Option<string?>("--account") { Description = "SLURM account." };
        var maxParallel = new Option<int?>("--max-parallel") { Description = "At most this many tasks at once." };
        var script = new Option<string?>("--script") { Description = "Where to write the script (default: SWEEP/sweep.sbatch)." };
        var force = new Option<bool>("--force") { Description = "Adopt a sweep folder made by another specification." };
        var noDataCheck = new Option<bool>("--no-data-check") { Description = "Do not load the data here to check each run before writing the script (for data too large for a login node; a run that cannot run then fails in its task)." };
        var command = new Command("slurm", "Write an sbatch job-array script with one task per run (submit it with sbatch).")
        {
            spec, output, time, memory, cpus, partition, account, maxParallel, script, force, noDataCheck,
        };
        command.SetAction(p => SweepCommand.Guard(() =>
        {
            var options = new SlurmScriptOptions
            {
                Time = p.GetValue(time)!,
                Memory = p.GetValue(memory)!,
                CpusPerTask = p.GetValue(cpus),
                Partition = p.GetValue(partition),
                Account = p.GetValue(account),
                MaxParallel = p.GetValue(maxParallel),
            };
            // Before the sweep folder is written: a refused option leaves nothing behind.
            options.Validate();
            var s = SweepSpecification.Load(p.GetValue(spec)!, p.GetValue(output));
            var path = Path.GetFullPath(p.GetValue(script) ?? Path.Combine(s.OutDirectory, "sweep.sbatch"));
            RefuseForeignScript(path);
            if (!p.GetValue(noDataCheck))
            {
                SweepCommand.CheckRunsToDo(s);
            }
            var plan = SweepFolder.Prepare(s, p.GetValue(force));
            var (runner, runnerNote, runnerWarning) = ScriptCommand.Resolve();
            var text = SlurmScript.Create("autospec-" + Path.GetFileName(s.OutDirectory), s.OutDirectory, plan.Count, options,
                Directory.GetCurrentDirectory(), runner);
            try
            {
                AutoSpec.Files.AtomicFile.WriteAllText(path, text);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InvalidInputException($"--script: cannot write '{path}': {e.Message}");
            }
            Console.WriteLine($"wrote {path}: {plan.Count} array tasks. Submit with: sbatch {SweepWorkerCommand.Quote(path)}");
            if (runnerNote is not null)
            {
                (runnerWarning ? Console.Error : Console.Out).WriteLine((runnerWarning ? "warning: " : "note: ") + runnerNote);
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>An existing file at the script's path is replaced only if an earlier <c>sweep slurm</c> wrote it.</summary>
    private static void RefuseForeignScript(string path)
    {
        if (Directory.Exists(path))
        {
            throw new InvalidInputException($"--script: '{path}' is a folder; give a file name for the script.");
        }
        if (File.Exists(path) && !File.ReadLines(path).Take(20).Any(l => l.StartsWith(SlurmScript.Signature, StringComparison.Ordinal)))
        {
            throw new InvalidInputException($"--script: '{path}' exists and was not written by `autospec sweep slurm`; it is left alone. Choose another --script path or move that file.");
        }
    }
}
