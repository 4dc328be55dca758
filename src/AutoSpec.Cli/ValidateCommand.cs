using System.CommandLine;
using System.Globalization;
using AutoSpec.Analyse;
using AutoSpec.Validation;

namespace AutoSpec.Cli;

/// <summary>
/// <c>autospec validate</c>: null and planted-effect scenarios shaped like real studies (unequal groups, one run or
/// several seeds on fixed data, a real table relabelled at random); reports the false-positive rate and the power of
/// the whole pipeline (training, recording, subject-level permutation tests, FDR) with 95% intervals.
/// </summary>
internal static class ValidateCommand
{
    private static readonly Option<string?> Out = new("--out") { Description = "Folder for the runs and the result tables (default: validation/<UTC timestamp>)." };
    private static readonly Option<string?> Scenarios = new("--scenarios") { Description = "Scenarios, comma-separated: " + string.Join(", ", ValidationScenario.BuiltIn.Select(s => s.Name)) + " (default: all but relabelled, which needs --config)." };
    private static readonly Option<FileInfo?> Config = new("--config") { Description = "Run configuration (JSON, or a run's manifest.json) whose data set the relabelled scenario relabels at random per subject, real group sizes kept." };
    private static readonly Option<int?> Analyses = new("--analyses") { Description = "Analyses per scenario (default 20)." };
    private static readonly Option<double?> EffectSize = new("--synth-effect-size") { Description = "Size of the planted effect (default 1.0)." };
    private static readonly Option<int?> Samples = new("--synth-samples") { Description = "Samples of the built-in data per run (default 1200, as the default job)." };
    private static readonly Option<int?> Epochs = new("--epochs") { Description = "Epochs per run on the built-in data (default 4)." };
    private static readonly Option<int?> BatchSize = new("--batch-size") { Description = "Mini-batch size on the built-in data (default 64)." };
    private static readonly Option<int?> Permutations = new("--permutations") { Description = "Relabellings per subject-level test (default 1000)." };
    private static readonly Option<int?> FirstSeed = new("--first-seed") { Description = "First seed (default 1000); every analysis gets its own." };
    private static readonly Option<string?> Fdr = new("--fdr") { Description = "bh (default) or by." };
    private static readonly Option<double?> Alpha = new("--alpha") { Description = "FDR level q (default 0.05)." };

    public static Command Create()
    {
        var command = new Command("validate", "Measure the false-positive rate (null scenarios) and power (planted effects) of the analysis.")
        {
            Out, Scenarios, Config, Analyses, EffectSize, Samples, Epochs, BatchSize, Permutations, FirstSeed, Fdr, Alpha,
        };
        command.SetAction(p => CommandErrors.Guard(() => Execute(p)));
        return command;
    }

    private static void Execute(ParseResult p)
    {
        var analysis = new GroupComparisonOptions();
        analysis = analysis with
        {
            Procedure = AnalysisArguments.Procedure(p.GetValue(Fdr)),
            Alpha = p.GetValue(Alpha) ?? analysis.Alpha,
        };
        var d = new ValidationOptions();
        var options = d with
        {
            Scenarios = p.GetValue(Scenarios) is { } names
                ? OptionFlags.Parse("--scenarios", () => names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ValidationScenario.Named).ToList())
                : d.Scenarios,
            Study = p.GetValue(Config) is { } file ? RunCommand.ReadConfig(file) : null,
            Analyses = p.GetValue(Analyses) ?? d.Analyses,
            EffectSize = p.GetValue(EffectSize) ?? d.EffectSize,
            Samples = p.GetValue(Samples) ?? d.Samples,
            Epochs = p.GetValue(Epochs) ?? d.Epochs,
            BatchSize = p.GetValue(BatchSize) ?? d.BatchSize,
            Permutations = p.GetValue(Permutations) ?? d.Permutations,
            FirstSeed = p.GetValue(FirstSeed) ?? d.FirstSeed,
            Analysis = analysis,
        };
        options.Validate();
        var dir = Path.GetFullPath(p.GetValue(Out) ?? Path.Combine("validation", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));
        Directory.CreateDirectory(dir);
        var rows = ValidationExperiment.Run(options, dir, row => Console.Error.WriteLine(row.Error is not null
            ? $"{row.Scenario} analysis {row.Analysis + 1}/{options.Analyses}: FAILED ({row.Error})"
            : string.Create(CultureInfo.InvariantCulture,
                $"{row.Scenario} analysis {row.Analysis + 1}/{options.Analyses}: {row.Significant}/{row.Tests} significant, " +
                $"smallest adjusted p {FindingSummary.FormatP(row.SmallestAdjustedP)} ({row.Seconds:F0} s)")));
        var summaries = options.Scenarios.Select(sc => ValidationSummary.Of(sc, rows.Where(r => r.Scenario == sc.Name).ToList())).ToList();

        new ResultTable("validation_analyses")
            .Text("scenario", rows.Select(r => r.Scenario))
            .Integer("analysis", rows.Select(r => (int?)r.Analysis))
            .Text("seeds", rows.Select(r => r.Seeds))
            .Integer("tests", rows.Select(r => (int?)r.Tests))
            .Integer("significant", rows.Select(r => (int?)r.Significant))
            .Number("smallest_p_adjusted", rows.Select(r => r.SmallestAdjustedP))
            .Flag("detected", rows.Select(r => (bool?)r.Detected))
            .Number("seconds", rows.Select(r => (double?)r.Seconds))
            .Text("error", rows.Select(r => r.Error))
            .WriteAsync(dir).GetAwaiter().GetResult();
        new ResultTable("validation_summary")
            .Text("scenario", summaries.Select(s => s.Scenario))
            .Text("measures", summaries.Select(s => s.IsNull ? "false_positive_rate" : "power"))
            .Integer("analyses", summaries.Select(s => (int?)s.Analyses))
            .Integer("detected", summaries.Select(s => (int?)s.Detected))
            .Integer("failed", summaries.Select(s => (int?)s.Failed))
            .Number("rate", summaries.Select(s => (double?)s.Rate))
            .Number("ci95_low", summaries.Select(s => (double?)s.Low))
            .Number("ci95_high", summaries.Select(s => (double?)s.High))
            .WriteAsync(dir).GetAwaiter().GetResult();

        foreach (var s in summaries)
        {
            string what = s.IsNull ? "false-positive rate" : "power";
            string failed = s.Failed > 0 ? $"; {s.Failed} failed, counted {(s.IsNull ? "as false positives" : "as misses")}" : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{s.Scenario}: {what} {s.Rate:F3} (95% CI {s.Low:F3}–{s.High:F3}; {s.Detected}/{s.Analyses} analyses with an FDR-significant finding{failed})"));
        }
        Console.WriteLine($"tables written to {dir}");
    }
}
