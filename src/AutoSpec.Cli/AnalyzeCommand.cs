using System.CommandLine;
using AutoSpec.Analyse;

namespace AutoSpec.Cli;

/// <summary><c>autospec analyze</c>: compare groups at the subject level and write the result tables (Parquet and CSV).</summary>
internal static class AnalyzeCommand
{
    private static readonly AnalysisArguments Arguments = new();
    private static readonly Option<string> Out = new("--out") { Description = "Folder for the result tables: new, empty, or an earlier analysis folder (its tables are replaced; other folders are refused).", Required = true };

    public static Command Create()
    {
        var command = new Command("analyze", "Compare groups: subject-level permutation tests per layer × window × metric (runs averaged), FDR, effect sizes, phases; writes tables.");
        Arguments.AddTo(command);
        command.Options.Add(Out);
        command.SetAction(p => CommandErrors.Guard(() =>
        {
            var dir = OutputTarget.TableFolder("--out", p.GetValue(Out)!);
            var result = Arguments.Analyse(p);
            AnalysisTables.WriteAsync(result, dir).GetAwaiter().GetResult();
            AnalysisArguments.PrintSummary(result);
            Console.WriteLine($"tables written to {dir}");
        }));
        return command;
    }
}
