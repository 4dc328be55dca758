namespace AutoSpec.Analyse;

/// <summary>
/// Whether two groups enter their second phase at different steps: the first boundary of B minus that of A, paired
/// over the runs where both trajectories have a boundary.
/// </summary>
/// <param name="Layer">Layer name.</param>
/// <param name="Quantity">Quantity.</param>
/// <param name="Series">log_sigma1 or effective_rank.</param>
/// <param name="GroupA">Reference group.</param>
/// <param name="GroupB">Compared group.</param>
/// <param name="Runs">Runs where both groups have a boundary.</param>
/// <param name="RunsWithoutBoundary">Runs where at least one of the two has none (left out of the test).</param>
/// <param name="MedianFirstA">Median first boundary step of A over those runs.</param>
/// <param name="MedianFirstB">Median first boundary step of B.</param>
/// <param name="MeanShift">Mean of B − A in steps.</param>
/// <param name="PPairedT">Paired t p-value.</param>
/// <param name="PWilcoxon">Wilcoxon signed-rank p-value.</param>
/// <param name="PAdjusted">Benjamini–Hochberg adjusted p (of the paired t) over all phase tests.</param>
/// <param name="Significant">PAdjusted ≤ alpha.</param>
/// <param name="FamilySize">Phase tests with a p-value.</param>
/// <param name="Status">ok, too_few_replicates or no_variation.</param>
/// <param name="Note">Why there is no p-value.</param>
public sealed record PhaseTestRow(
    string Layer, string Quantity, string Series, string GroupA, string GroupB, int Runs, int RunsWithoutBoundary,
    double? MedianFirstA, double? MedianFirstB, double? MeanShift, double? PPairedT, double? PWilcoxon, double? PAdjusted,
    bool Significant, int FamilySize, string Status, string? Note);
