namespace AutoSpec.Analyse;

/// <summary>Everything one analysis of a set of runs found.</summary>
/// <param name="Runs">The runs analysed (and those skipped).</param>
/// <param name="Options">What was compared and how.</param>
/// <param name="Groups">Compared groups, reference first.</param>
/// <param name="Tests">The subject-level tests (the verdict), pooled over runs, FDR-corrected.</param>
/// <param name="Findings">Significant differences in plain words.</param>
/// <param name="EpochValues">Descriptive per-epoch metric means per run and group.</param>
/// <param name="Phases">Phase boundaries per run, layer and group (descriptive).</param>
/// <param name="Permutations">Every run's own subject-level tests, before pooling and correction.</param>
/// <param name="Notes">What the reader should know about the inputs.</param>
public sealed record AnalysisResult(RunSet Runs, GroupComparisonOptions Options, IReadOnlyList<string> Groups,
    IReadOnlyList<SubjectTestRow> Tests, IReadOnlyList<Finding> Findings, IReadOnlyList<EpochValue> EpochValues,
    IReadOnlyList<PhaseRow> Phases, IReadOnlyList<PermutationRow> Permutations, IReadOnlyList<string> Notes)
{
    /// <summary>What every p-value of the analysis refers to, in words.</summary>
    public const string Population =
        "p-values come from exchanging group labels among subjects (group sizes kept): they ask whether these groups differ " +
        "more than random groups of the same sizes drawn from the same subjects would, in the networks these runs trained. " +
        "n counts subjects; runs (seeds, folds) are averaged, not counted as the sample.";

    /// <summary>
    /// Collects every run's subject-level tests (those recorded during training, else for runs with a dump folder
    /// tests recomputed from the dump with <paramref name="permutations"/> relabellings; 0 = none recomputed), pools
    /// them over runs, corrects over the family, summarises the findings and segments the trajectories.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// An option is invalid, or names a layer or group the runs do not have (<see cref="ArgumentException.ParamName"/>
    /// as <see cref="GroupComparisonOptions.Validate"/> gives it).
    /// </exception>
    public static AnalysisResult Of(RunSet runs, GroupComparisonOptions options, ChangePointDetector? detector = null,
        int permutations = 1000, string permutationMetric = "frobenius_normalised")
    {
        options.Validate();
        var notes = new List<string>();
        var values = EpochValue.Collect(runs.Runs, options, notes);
        var groups = ComparedGroups(values, options);
        foreach (var layer in options.Layers ?? [])
        {
            if (!values.Any(v => v.Layer == layer))
            {
                throw OptionErrors.Invalid(GroupComparisonOptions.ParamPrefix + nameof(options.Layers), $"layer '{layer}' has no recorded values in the runs.");
            }
        }
        var perRun = PermutationAnalysis.Run(runs, groups, permutationMetric, permutations);
        var tests = SubjectLevelComparison.Run(perRun, options);
        if (tests.Count == 0)
        {
            notes.Add("no subject-level test: the runs recorded no permutation test (run with --permutations B > 0) and dumped no steps");
        }
        var phases = PhaseAnalysis.Run(runs, options, groups, detector ?? new ChangePointDetector());
        return new AnalysisResult(runs, options, groups, tests, FindingSummary.Summarise(tests), values, phases, perRun, notes);
    }

    private static List<string> ComparedGroups(List<EpochValue> values, GroupComparisonOptions options)
    {
        var available = values.Select(v => v.Group).Where(g => g != "all").Distinct().Order(StringComparer.Ordinal).ToList();
        var groups = options.Groups?.ToList() ?? available;
        foreach (var g in groups.Where(g => !available.Contains(g)))
        {
            throw OptionErrors.Invalid(GroupComparisonOptions.ParamPrefix + nameof(options.Groups), $"group '{g}' is not in the runs (groups: {string.Join(", ", available)}).");
        }
        if (groups.Count < 2)
        {
            throw new InvalidInputException($"the runs have fewer than two groups to compare ({string.Join(", ", available)}).");
        }
        return groups;
    }
}
