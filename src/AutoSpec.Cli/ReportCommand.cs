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

    public static Command Create()
    {
        var command = new Command("report", "Analyse runs and write a self-contained HTML report (plots embedded, CSV exports inside).");
        Arguments.AddTo(command);
        command.Options.Add(Out);
        command.Options.Add(Tables);
        command.SetAction(p => CommandErrors.Guard(() =>
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
}
