using System.CommandLine;
using System.Globalization;
using AutoSpec.Analyse;

namespace AutoSpec.Cli;

/// <summary>The run folders and analysis options shared by <c>analyze</c> and <c>report</c>.</summary>
internal sealed class AnalysisArguments
{
    private readonly Argument<string[]> _runs = new("RUN_DIR") { Description = "Run folders (replicates: seeds × folds of one configuration).", Arity = ArgumentArity.OneOrMore };
    private readonly Option<bool> _includeIncomplete = new("--include-incomplete") { Description = "Also analyse runs whose status is not complete (their flushed rows)." };
    private readonly Option<string?> _quantities = new("--quantities") { Description = "Quantities to compare: any of grad, act, delta (default: grad)." };
    private readonly Option<string?> _metrics = new("--metrics") { Description = "Metrics to compare (default: the size-free ones: " + string.Join(",", GroupComparisonOptions.DefaultMetrics) + ")." };
    private readonly Option<string?> _layers = new("--layers") { Description = "Layers to compare (default: all recorded)." };
    private readonly Option<string?> _groups = new("--groups") { Description = "Groups to compare, reference first, e.g. control,patient (default: all groups, sorted)." };
    private readonly Option<string?> _test = new("--test") { Description = "Test whose p-values are FDR-corrected: t (paired t, default), wilcoxon, welch, mann-whitney." };
    private readonly Option<string?> _fdr = new("--fdr") { Description = "FDR procedure deciding significance: bh (Benjamini–Hochberg, default) or by (Benjamini–Yekutieli)." };
    private readonly Option<string?> _family = new("--family") { Description = "FDR family: all (default: every layer × epoch × metric test of the analysis) or fields splitting it, e.g. layer or layer,metric." };
    private readonly Option<double?> _alpha = new("--alpha") { Description = "FDR level q (default 0.05)." };
    private readonly Option<int?> _bootstrap = new("--bootstrap") { Description = "Bootstrap resamples for effect-size intervals (default 2000; 0 = none)." };
    private readonly Option<double?> _penalty = new("--phase-penalty") { Description = "Change-point penalty factor × ln(steps) (default 3, a BIC)." };
    private readonly Option<int?> _permutations = new("--permutations") { Description = "Within-run permutation tests recomputed on the steps a run dumped (run --dump-steps), for runs without a recorded permutations.parquet: relabellings per test (default 1000; all of them when fewer; 0 = none). Recorded tests are always reported." };
    private readonly Option<string?> _permutationMetric = new("--permutation-metric") { Description = "Metric of the dump-based permutation statistic (default sigma1_normalised; recorded tests keep the metric of the run)." };
    private readonly Option<int?> _minSegment = new("--phase-min-steps") { Description = "Shortest phase in recorded steps (default 5)." };

    public void AddTo(Command command)
    {
        command.Arguments.Add(_runs);
        foreach (var o in new Option[] { _includeIncomplete, _quantities, _metrics, _layers, _groups, _test, _fdr, _family, _alpha, _bootstrap, _penalty, _minSegment, _permutations, _permutationMetric })
        {
            command.Options.Add(o);
        }
    }

    /// <summary>Reads the runs (reporting skipped ones on stderr) and runs the analysis.</summary>
    public AnalysisResult Analyse(ParseResult p)
    {
        var options = Options(p);
        var detector = new ChangePointDetector
        {
            PenaltyFactor = p.GetValue(_penalty) ?? 3.0,
            MinSegment = p.GetValue(_minSegment) ?? 5,
        };
        if (!(detector.PenaltyFactor > 0))
        {
            throw new InvalidInputException($"--phase-penalty must be positive (got {detector.PenaltyFactor}).");
        }
        if (detector.MinSegment < 3)
        {
            throw new InvalidInputException($"--phase-min-steps must be at least 3 (got {detector.MinSegment}).");
        }
        var runs = RunSet.Load(p.GetValue(_runs) ?? [], p.GetValue(_includeIncomplete));
        foreach (var s in runs.Skipped)
        {
            Console.Error.WriteLine($"warning: skipped {s} (--include-incomplete analyses it)");
        }
        int permutations = p.GetValue(_permutations) ?? 1000;
        if (permutations < 0)
        {
            throw new InvalidInputException($"--permutations must be 0 or positive (got {permutations}).");
        }
        string metric = p.GetValue(_permutationMetric) ?? "sigma1_normalised";
        if (!GramPermutationTest.Metrics.Contains(metric))
        {
            throw new InvalidInputException($"--permutation-metric: unknown metric '{metric}'; use any of {string.Join(", ", GramPermutationTest.Metrics)}.");
        }
        return AnalysisResult.Of(runs, options, detector, permutations, metric);
    }

    private GroupComparisonOptions Options(ParseResult p)
    {
        var d = new GroupComparisonOptions();
        return d with
        {
            Quantities = List(p.GetValue(_quantities)) ?? d.Quantities,
            Metrics = List(p.GetValue(_metrics)) ?? d.Metrics,
            Layers = List(p.GetValue(_layers)),
            Groups = List(p.GetValue(_groups)),
            Test = p.GetValue(_test)?.ToLowerInvariant() switch
            {
                null => d.Test,
                "t" or "paired-t" => GroupTest.PairedT,
                "wilcoxon" => GroupTest.Wilcoxon,
                "welch" => GroupTest.Welch,
                "mann-whitney" or "mannwhitney" => GroupTest.MannWhitney,
                var other => throw new InvalidInputException($"--test: unknown test '{other}'; use t, wilcoxon, welch or mann-whitney."),
            },
            Procedure = p.GetValue(_fdr)?.ToLowerInvariant() switch
            {
                null or "bh" => FalseDiscoveryRate.Procedure.BenjaminiHochberg,
                "by" => FalseDiscoveryRate.Procedure.BenjaminiYekutieli,
                var other => throw new InvalidInputException($"--fdr: unknown procedure '{other}'; use bh or by."),
            },
            FamilyBy = p.GetValue(_family) is { } f && f != "all" ? List(f) ?? [] : [],
            Alpha = p.GetValue(_alpha) ?? d.Alpha,
            BootstrapResamples = p.GetValue(_bootstrap) ?? d.BootstrapResamples,
        };
    }

    private static List<string>? List(string? text) => text?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    /// <summary>One line per finding for the console.</summary>
    public static void PrintSummary(AnalysisResult result)
    {
        var tests = result.Comparison.Tests;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Runs.Runs.Count} runs, groups {string.Join(" vs ", result.Comparison.Groups)}: {tests.Count} tests " +
            $"({tests.Count(t => t.P is null)} without a p-value), {tests.Count(t => t.Significant)} significant after FDR, " +
            $"{result.Findings.Count} findings."));
        foreach (var f in result.Findings.Take(10))
        {
            Console.WriteLine("  " + f.Sentence);
        }
        if (result.Findings.Count > 10)
        {
            Console.WriteLine($"  … and {result.Findings.Count - 10} more (findings.csv).");
        }
    }
}
