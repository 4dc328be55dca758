namespace AutoSpec.Analyse;

/// <summary>Everything one analysis of a set of runs found.</summary>
/// <param name="Runs">The runs analysed (and those skipped).</param>
/// <param name="Comparison">Per-epoch group tests.</param>
/// <param name="Findings">Significant differences in plain words.</param>
/// <param name="Phases">Phase boundaries and their group tests.</param>
public sealed record AnalysisResult(RunSet Runs, GroupComparisonResult Comparison, IReadOnlyList<Finding> Findings, PhaseResult Phases)
{
    /// <summary>Runs the group comparison, summarises it and segments the trajectories.</summary>
    public static AnalysisResult Of(RunSet runs, GroupComparisonOptions options, ChangePointDetector? detector = null)
    {
        var comparison = GroupComparison.Run(runs, options);
        var phases = PhaseAnalysis.Run(runs, options, comparison.Groups, detector ?? new ChangePointDetector());
        return new AnalysisResult(runs, comparison, FindingSummary.Summarise(comparison), phases);
    }
}
