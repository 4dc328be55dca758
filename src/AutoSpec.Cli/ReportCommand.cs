using System.CommandLine;
using AutoSpec.Analyse;
using AutoSpec.Report;

namespace AutoSpec.Cli;

/// <summary><c>autospec report</c>: analyse runs and write one self-contained HTML page (and, optionally, the tables).</summary>
internal static class ReportCommand
{
    private static readonly AnalysisArguments Arguments = new();
    private static readonly Option<string> Out = new("--out") { Description = "HTML file to write (default report.html).", DefaultValueFactory = _ => "report.html" };
    private static readonly Option<string?> Tables = new("--tables") { Description = "Also write the result tables (Parquet + CSV) into this folder." };

    public static Command Create()
    {
        var command = new Command("report", "Analyse runs and write a self-contained HTML report (plots embedded, CSV exports inside).");
        Arguments.AddTo(command);
        command.Options.Add(Out);
        command.Options.Add(Tables);
        command.SetAction(p => CommandErrors.Guard(() =>
        {
            var result = Arguments.Analyse(p);
            var path = Path.GetFullPath(p.GetValue(Out)!);
            HtmlReport.Write(result, path);
            if (p.GetValue(Tables) is { } tables)
            {
                AnalysisTables.WriteAsync(result, Path.GetFullPath(tables)).GetAwaiter().GetResult();
            }
            AnalysisArguments.PrintSummary(result);
            Console.WriteLine($"report written to {path}");
        }));
        return command;
    }
}
