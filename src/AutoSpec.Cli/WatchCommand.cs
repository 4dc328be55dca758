using System.CommandLine;
using AutoSpec.Analyse;
using AutoSpec.Report;

namespace AutoSpec.Cli;

/// <summary>
/// <c>autospec watch RUN</c> (and <c>report --live</c>): a live HTML page of a run while it trains, rewritten every
/// few seconds from its flushed rows (<see cref="LiveReport"/>), until the run completes or fails.
/// </summary>
internal static class WatchCommand
{
    private static readonly Argument<string> Run = new("RUN_DIR") { Description = "The run folder to watch (it may be starting or not have flushed yet)." };
    private static readonly Option<string?> Out = new("--out") { Description = "HTML page to write (default: live-RUN.html beside the run folder RUN); an existing file is replaced only if it is an AutoSpec report." };

    private static readonly Option<int> Every = EveryOption("Seconds between renderings of the page, and between its reloads in the browser.");

    /// <summary>The --every option (seconds between renderings and reloads of the page), for watch and <c>report --live</c>.</summary>
    public static Option<int> EveryOption(string description) => new("--every") { Description = description, DefaultValueFactory = _ => 5 };

    public static Command Create()
    {
        var command = new Command("watch", "Write a live HTML page of a run while it trains: the report of its flushed rows, with a banner saying where the run stands; the page reloads itself and the command ends when the run completes or fails.")
        {
            Run, Out, Every,
        };
        command.SetAction(p =>
        {
            var run = p.GetValue(Run)!;
            return Watch(run, p.GetValue(Out), p.GetValue(Every), runs => AnalysisResult.Of(runs, new GroupComparisonOptions()));
        });
        return command;
    }

    /// <summary>
    /// Watches <paramref name="run"/> and writes the page; exit code 0 when the run completed, 1 when it failed, 130
    /// after Ctrl+C (the page then says watching stopped), 2 for bad input.
    /// </summary>
    public static int Watch(string run, string? page, int every, Func<RunSet, AnalysisResult> analyse)
    {
        using var interruption = new Interruption();
        var state = LiveState.Stopped;
        int exit = CommandErrors.Guard(() =>
        {
            if (every < 1)
            {
                throw new InvalidInputException($"--every must be at least 1 second (got {every}).");
            }
            var path = OutputTarget.ReportFile("--out", page ?? LiveReport.DefaultPage(run));
            LiveReport live;
            try
            {
                live = new LiveReport(run, path, TimeSpan.FromSeconds(every), analyse);
            }
            catch (InvalidInputException e)
            {
                throw new InvalidInputException("RUN_DIR: " + e.Message);
            }
            Console.WriteLine($"watching {Path.GetFullPath(run)}: page {path} (Ctrl+C stops)");
            state = live.Watch(interruption.Token, line => Console.WriteLine(line));
            Console.WriteLine($"page written to {path}");
        });
        return exit != ExitCodes.Success ? exit : state switch
        {
            LiveState.Complete => ExitCodes.Success,
            LiveState.Stopped => interruption.ExitCode,
            _ => ExitCodes.Failure,
        };
    }
}
