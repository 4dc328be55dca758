using System.CommandLine;
using AutoSpec.Sweeps;

namespace AutoSpec.Cli;

/// <summary>
/// <c>autospec sweep plan SPEC</c>: prints the runs of a sweep (index, id, axis values, status), after checking every
/// run against its data (each data source loaded once), so that a run that would fail is refused here.
/// </summary>
internal static class SweepPlanCommand
{
    public static Command Create()
    {
        var spec = SweepCommand.SpecArgument();
        var output = SweepCommand.OutOption();
        var command = new Command("plan", "Check every run against its data, then print the runs a sweep expands to: index, stable id, axis values, and the status of existing runs.")
        {
            spec, output,
        };
        command.SetAction(p => SweepCommand.Guard(() =>
        {
            var s = SweepSpecification.Load(p.GetValue(spec)!, p.GetValue(output));
            var plan = s.Plan();
            foreach (var warning in SweepPlanner.CheckRuns(s, plan))
            {
                Console.Error.WriteLine($"warning: {warning}");
            }
            Console.WriteLine($"# sweep {s.OutDirectory}: {Plural.Of(plan.Count, "run")} over {string.Join(" × ", s.Axes.Select(a => $"{a.Path} ({a.Values.Count})"))}");
            Console.WriteLine(string.Join('\t', ["index", "id", .. s.Axes.Select(a => a.Path), "status"]));
            foreach (var run in plan)
            {
                var status = SweepFolder.RunStatus(SweepFolder.RunDirectory(s.OutDirectory, run.Id)) ?? "pending";
                Console.WriteLine(string.Join('\t', [run.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), run.Id,
                    .. run.Assignments.Select(a => a.Value?.ToJsonString() ?? "null"), status]));
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
