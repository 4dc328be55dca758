namespace AutoSpec.Analyse;

/// <summary>One within-run permutation test: one run, layer and window of dumped steps.</summary>
/// <param name="Run">Run id.</param>
/// <param name="Layer">Layer name.</param>
/// <param name="FirstStep">First step of the window.</param>
/// <param name="LastStep">Last step of the window.</param>
/// <param name="Steps">Steps in the window with both groups present.</param>
/// <param name="Metric">Metric of the statistic.</param>
/// <param name="Result">Statistic (B − A), p-value, permutations, exactness.</param>
/// <param name="PAdjusted">Benjamini–Hochberg adjusted p over all permutation tests of the analysis.</param>
/// <param name="Significant">PAdjusted ≤ alpha.</param>
public sealed record PermutationRow(
    string Run, string Layer, long FirstStep, long LastStep, int Steps, string Metric, PermutationResult Result,
    double? PAdjusted, bool Significant);
