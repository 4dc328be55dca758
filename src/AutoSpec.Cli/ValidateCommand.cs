using System.CommandLine;
using System.Globalization;
using AutoSpec.Analyse;
using AutoSpec.Data;

namespace AutoSpec.Cli;

/// <summary>
/// <c>autospec validate</c>: planted-effect and null experiments on the built-in data; reports power and the
/// false-positive rate of the whole pipeline (training, recording, per-epoch paired tests, FDR).
/// </summary>
internal static class ValidateCommand
{
    private static readonly Option<string?> Out = new("--out") { Description = "Folder for the runs and the result tables (default: validation/<UTC timestamp>)." };
    private static readonly Option<string?> Conditions = new("--conditions") { Description = "Planted effects to test: any of MeanShift, Noise, None (default MeanShift,None)." };
    private static readonly Option<int?> Analyses = new("--analyses") { Description = "Analyses per condition (default 20)." };
    private static readonly Option<int?> Runs = new("--runs") { Description = "Runs (seeds) per analysis (default 5)." };
    private static readonly Option<double?> EffectSize = new("--synth-effect-size") { Description = "Size of the planted effect (default 1.0)." };
    private static readonly Option<int?> Samples = new("--synth-samples") { Description = "Samples of the built-in data per run (default 600)." };
    private static readonly Option<int?> Epochs = new("--epochs") { Description = "Epochs per run (default 4)." };
    private static readonly Option<int?> BatchSize = new("--batch-size") { Description = "Mini-batch size (default 64)." };
    private static readonly Option<int?> FirstSeed = new("--first-seed") { Description = "First seed (default 1000); every run gets its own." };
    private static readonly Option<string?> Test = new("--test") { Description = "t (default) or wilcoxon." };
    private static readonly Option<string?> Fdr = new("--fdr") { Description = "bh (default) or by." };
    private static readonly Option<double?> Alpha = new("--alpha") { Description = "FDR level q (default 0.05)." };

    public static Command Create()
    {
        var command = new Command("validate", "Measure power (planted effect) and false-positive rate (null) of the analysis on the built-in data.")
        {
            Out, Conditions, Analyses, Runs, EffectSize, Samples, Epochs, BatchSize, FirstSeed, Test, Fdr, Alpha,
        };
        command.SetAction(p => CommandErrors.Guard(() => Execute(p)));
        return command;
    }

    private static void Execute(ParseResult p)
    {
        var analysis = new GroupComparisonOptions { BootstrapResamples = 0 };
        analysis = analysis with
        {
            Test = p.GetValue(Test)?.ToLowerInvariant() switch
            {
                null or "t" => GroupTest.PairedT,
                "wilcoxon" => GroupTest.Wilcoxon,
                var other => throw new InvalidInputException($"--test: use t or wilcoxon (got '{other}')."),
            },
            Procedure = p.GetValue(Fdr)?.ToLowerInvariant() switch
            {
                null or "bh" => FalseDiscoveryRate.Procedure.BenjaminiHochberg,
                "by" => FalseDiscoveryRate.Procedure.BenjaminiYekutieli,
                var other => throw new InvalidInputException($"--fdr: use bh or by (got '{other}')."),
            },
            Alpha = p.GetValue(Alpha) ?? analysis.Alpha,
        };
        var d = new ValidationOptions();
        var options = d with
        {
            Conditions = p.GetValue(Conditions) is { } c ? ParseConditions(c) : d.Conditions,
            Analyses = p.GetValue(Analyses) ?? d.Analyses,
            Runs = p.GetValue(Runs) ?? d.Runs,
            EffectSize = p.GetValue(EffectSize) ?? d.EffectSize,
            Samples = p.GetValue(Samples) ?? d.Samples,
            Epochs = p.GetValue(Epochs) ?? d.Epochs,
            BatchSize = p.GetValue(BatchSize) ?? d.BatchSize,
            FirstSeed = p.GetValue(FirstSeed) ?? d.FirstSeed,
            Analysis = analysis,
        };
        options.Validate();
        var dir = Path.GetFullPath(p.GetValue(Out) ?? Path.Combine("validation", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));
        Directory.CreateDirectory(dir);
        var rows = ValidationExperiment.Run(options, dir, row => Console.Error.WriteLine(row.Error is not null
            ? $"{row.Condition} analysis {row.Analysis + 1}/{options.Analyses}: FAILED ({row.Error})"
            : string.Create(CultureInfo.InvariantCulture,
                $"{row.Condition} analysis {row.Analysis + 1}/{options.Analyses}: {row.Significant}/{row.Tests} significant, " +
                $"smallest adjusted p {FindingSummary.FormatP(row.SmallestAdjustedP)} ({row.Seconds:F0} s)")));
        var summaries = rows.GroupBy(r => r.Condition).Select(g => ValidationSummary.Of(g.Key, g.ToList())).ToList();

        new ResultTable("validation_analyses")
            .Text("condition", rows.Select(r => r.Condition))
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
            .Text("condition", summaries.Select(s => s.Condition))
            .Integer("analyses", summaries.Select(s => (int?)s.Analyses))
            .Integer("detected", summaries.Select(s => (int?)s.Detected))
            .Number("rate", summaries.Select(s => (double?)s.Rate))
            .Number("ci95_low", summaries.Select(s => (double?)s.Low))
            .Number("ci95_high", summaries.Select(s => (double?)s.High))
            .Integer("failed", summaries.Select(s => (int?)s.Failed))
            .WriteAsync(dir).GetAwaiter().GetResult();

        foreach (var s in summaries)
        {
            string what = s.Condition == "none" ? "false-positive rate" : "power";
            string failed = s.Failed > 0 ? $"; {s.Failed} analyses failed and are not counted" : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{s.Condition}: {what} {s.Rate:F3} ({s.Detected}/{s.Analyses} analyses with an FDR-significant finding; 95% CI {s.Low:F3}–{s.High:F3}){failed}"));
        }
        Console.WriteLine($"tables written to {dir}");
    }

    private static List<PlantedEffect> ParseConditions(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t =>
            Enum.TryParse<PlantedEffect>(t.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var e)
                ? e
                : throw new InvalidInputException($"--conditions: unknown condition '{t}'; use MeanShift, Noise or None.")).ToList();
}
