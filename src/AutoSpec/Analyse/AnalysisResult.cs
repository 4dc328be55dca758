namespace AutoSpec.Analyse;

/// <summary>Everything one analysis of a set of runs found.</summary>
/// <param name="Runs">The runs analysed (and those skipped).</param>
/// <param name="Comparison">Per-epoch group tests.</param>
/// <param name="Findings">Significant differences in plain words.</param>
/// <param name="Phases">Phase boundaries and their group tests.</param>
/// <param name="Permutations">Within-run permutation tests recorded by the runs or recomputed from their dumps (empty otherwise).</param>
public sealed record AnalysisResult(RunSet Runs, GroupComparisonResult Comparison, IReadOnlyList<Finding> Findings, PhaseResult Phases,
    IReadOnlyList<PermutationRow> Permutations)
{
    /// <summary>
    /// Runs the group comparison, summarises it, segments the trajectories and collects the within-run permutation
    /// tests: those a run recorded during training, else, for runs with a dump folder, tests recomputed from the dump
    /// (<paramref name="permutations"/> relabellings at most; 0 = none recomputed).
    /// </summary>
    public static AnalysisResult Of(RunSet runs, GroupComparisonOptions options, ChangePointDetector? detector = null,
        int permutations = 1000, string permutationMetric = "sigma1_normalised")
    {
        var comparison = GroupComparison.Run(runs, options);
        var phases = PhaseAnalysis.Run(runs, options, comparison.Groups, detector ?? new ChangePointDetector());
        var permutation = PermutationAnalysis.Run(runs, comparison.Groups, permutationMetric, permutations, options.Alpha);
        return new AnalysisResult(runs, comparison, FindingSummary.Summarise(comparison), phases, permutation);
    }
}
