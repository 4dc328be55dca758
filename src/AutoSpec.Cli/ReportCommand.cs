using System.CommandLine;
using AutoSpec.Analyse;
using AutoSpec.Report;

namespace AutoSpec.Cli;

/// <summary><c>autospec report</c>: analyse runs and write one self-contained HTML page (and, optionally, the tables).</summary>
internal static class ReportCommand
{
    private static readonly AnalysisArguments Arguments = new();
    private static readonly Option<string> Out = new("--out") { Description = "HTML file to write (default report.html); an existing file is replaced only if it is an AutoSpec report.", DefaultValueFactory = _ => "report.html" };
    private static readonly Option<string?> Tables = new("--tables") { Description = "Also write the result tables (Parquet + CSV) into this folder." };
    private static readonly Option<bool> Live = new("--live") { Description = "Watch one run while it trains, as `autospec watch` does: the page is written again every --every seconds from the flushed rows and reloads itself, until the run completes or fails." };
    private static readonly Option<int> Every = WatchCommand.EveryOption("With --live: seconds between renderings of the page, and between its reloads in the browser.");

    public static Command Create()
    {
        var command = new Command("report", "Analyse runs and write a self-contained HTML report (plots embedded, CSV exports inside).");
        Arguments.AddTo(command);
        command.Options.Add(Out);
        command.Options.Add(Tables);
        command.Options.Add(Live);
        command.Options.Add(Every);
        command.SetAction(p => p.GetValue(Live) ? Watch(p) : CommandErrors.Guard(() =>
        {
            var path = OutputTarget.ReportFile("--out", p.GetValue(Out)!);
            var tables = p.GetValue(Tables) is { } t ? OutputTarget.TableFolder("--tables", t) : null;
            var result = Arguments.Analyse(p);
            HtmlReport.Write(result, path);
            if (tables is not null)
            {
                AnalysisTables.WriteAsync(result, tables).GetAwaiter().GetResult();
            }
            AnalysisArguments.PrintSummary(result);
            Console.WriteLine($"report written to {path}");
            Console.WriteLine($"  size {ReportSize.Of(File.ReadAllText(path))}");
        }));
        return command;
    }

    /// <summary><c>report --live</c>: <c>watch</c> on the one run given, with the report's analysis options and --out.</summary>
    private static int Watch(ParseResult p)
    {
        Func<RunSet, AnalysisResult>? analyse = null;
        string run = "";
        int exit = CommandErrors.Guard(() =>
        {
            var runs = Arguments.RunFolders(p);
            if (runs.Count != 1)
            {
                throw new InvalidInputException($"--live watches one run folder (got {runs.Count}).");
            }
            if (p.GetValue(Tables) is not null)
            {
                throw new InvalidInputException("--tables and --live exclude each other: a live page is rewritten until the run ends; write the tables with analyze afterwards.");
            }
            run = runs[0];
            analyse = Arguments.Analysis(p);
        });
        return analyse is null ? exit : WatchCommand.Watch(run, p.GetValue(Out), p.GetValue(Every), analyse);
    }
}
