using System.CommandLine;
using System.Globalization;
using AutoSpec.Analyse;
using AutoSpec.Permutation;

namespace AutoSpec.Cli;

/// <summary>The run folders and analysis options shared by <c>analyze</c> and <c>report</c>.</summary>
internal sealed class AnalysisArguments
{
    private readonly Argument<string[]> _runs = new("RUN_DIR") { Description = "Run folders (replicates: seeds × folds of one configuration).", Arity = ArgumentArity.OneOrMore };
    private readonly Option<bool> _includeIncomplete = new("--include-incomplete") { Description = "Also analyse runs whose status is not complete (their flushed rows)." };
    private readonly Option<string?> _quantities = new("--quantities") { Description = "Quantities of the descriptive per-epoch values and trajectories: any of grad, act, delta (default: grad)." };
    private readonly Option<string?> _metrics = new("--metrics") { Description = "Metrics of the descriptive per-epoch values (default: " + string.Join(",", GroupComparisonOptions.DefaultMetrics) + "); they are not tested: they move with group size." };
    private readonly Option<string?> _layers = new("--layers") { Description = "Layers to compare (default: all recorded)." };
    private readonly Option<string?> _groups = new("--groups") { Description = "Groups to compare, reference first, e.g. control,patient (default: all groups, sorted)." };
    private readonly Option<string?> _fdr = new("--fdr") { Description = "FDR procedure deciding significance: bh (Benjamini–Hochberg, default) or by (Benjamini–Yekutieli, valid under any dependence)." };
    private readonly Option<string?> _family = new("--family") { Description = "FDR family: all (default: every layer × window × metric × pair test of the analysis) or fields splitting it, e.g. layer or layer,metric." };
    private readonly Option<double?> _alpha = new("--alpha") { Description = "FDR level q (default 0.05)." };
    private readonly Option<double?> _penalty = new("--phase-penalty") { Description = "Change-point penalty factor × ln(steps) (default 3, a BIC)." };
    private readonly Option<int?> _permutations = new("--permutations") { Description = "For runs without a recorded permutations.parquet (run --permutations 0): subject-level tests recomputed on the steps they dumped (run --dump-steps), relabellings per test (default 1000; all of them when fewer; 0 = none). Recorded tests are always used." };
    private readonly Option<string?> _permutationMetric = new("--permutation-metric") { Description = "Metric of the dump-based tests (default frobenius_normalised; recorded tests keep the metrics of the run)." };
    private readonly Option<int?> _minSegment = new("--phase-min-steps") { Description = "Shortest phase in recorded steps (default 5)." };

    public void AddTo(Command command)
    {
        command.Arguments.Add(_runs);
        foreach (var o in new Option[] { _includeIncomplete, _quantities, _metrics, _layers, _groups, _fdr, _family, _alpha, _penalty, _minSegment, _permutations, _permutationMetric })
        {
            command.Options.Add(o);
        }
    }

    /// <summary>Reads the runs (reporting skipped ones on stderr) and runs the analysis.</summary>
    public AnalysisResult Analyse(ParseResult p)
    {
        var analyse = Analysis(p);
        var runs = RunSet.Load(RunFolders(p), p.GetValue(_includeIncomplete));
        foreach (var s in runs.Skipped)
        {
            Console.Error.WriteLine($"warning: skipped {s} (--include-incomplete analyses it)");
        }
        return analyse(runs);
    }

    /// <summary>The run folders given.</summary>
    public IReadOnlyList<string> RunFolders(ParseResult p) => p.GetValue(_runs) ?? [];

    /// <summary>The analysis the options ask for, checked, as a function of the runs (what <c>report --live</c> repeats).</summary>
    public Func<RunSet, AnalysisResult> Analysis(ParseResult p)
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
        int permutations = p.GetValue(_permutations) ?? 1000;
        if (permutations < 0)
        {
            throw new InvalidInputException($"--permutations must be 0 or positive (got {permutations}).");
        }
        string metric = p.GetValue(_permutationMetric) ?? "frobenius_normalised";
        OptionFlags.Check("--permutation-metric", () => GramPermutationTest.CheckMetrics([metric], nameof(metric)));
        return runs => AnalysisResult.Of(runs, options, detector, permutations, metric);
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
            Procedure = Procedure(p.GetValue(_fdr)),
            FamilyBy = p.GetValue(_family) is { } f && f != "all" ? List(f) ?? [] : [],
            Alpha = p.GetValue(_alpha) ?? d.Alpha,
        };
    }

    /// <summary>The FDR procedure named by --fdr: bh (also when not given) or by.</summary>
    public static FalseDiscoveryRate.Procedure Procedure(string? name) => name?.ToLowerInvariant() switch
    {
        null or "bh" => FalseDiscoveryRate.Procedure.BenjaminiHochberg,
        "by" => FalseDiscoveryRate.Procedure.BenjaminiYekutieli,
        var other => throw new InvalidInputException($"--fdr: unknown procedure '{other}'; use bh or by."),
    };

    private static List<string>? List(string? text) => text?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    /// <summary>One line per finding for the console, and what the p-values are about.</summary>
    public static void PrintSummary(AnalysisResult result)
    {
        var tests = result.Tests;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Plural.Of(result.Runs.Runs.Count, "run")}, groups {string.Join(" vs ", result.Groups)}: {Plural.Of(tests.Count, "subject-level test")} " +
            $"({tests.Count(t => t.P is null)} without a p-value), {tests.Count(t => t.Significant)} significant after FDR, " +
            $"{Plural.Of(result.Findings.Count, "finding")}."));
        foreach (var n in result.Notes)
        {
            Console.WriteLine("  note: " + n);
        }
        foreach (var f in result.Findings.Take(10))
        {
            Console.WriteLine("  " + f.Sentence);
        }
        if (result.Findings.Count > 10)
        {
            Console.WriteLine($"  … and {result.Findings.Count - 10} more (findings.csv).");
        }
        Console.WriteLine("  " + AnalysisResult.Population);
    }
}
