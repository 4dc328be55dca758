namespace AutoSpec.Analyse;

/// <summary>One within-run permutation test: one run, layer, window of steps and pair of groups.</summary>
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
    double? PAdjusted, bool Significant)
{
    /// <summary>Reference group of the pair.</summary>
    public string GroupA { get; init; } = "";

    /// <summary>Compared group of the pair.</summary>
    public string GroupB { get; init; } = "";

    /// <summary>Subjects of A in the window.</summary>
    public int SubjectsA { get; init; }

    /// <summary>Subjects of B in the window.</summary>
    public int SubjectsB { get; init; }

    /// <summary>"recorded" (permutations.parquet, computed during training) or "dump" (recomputed from run --dump-steps).</summary>
    public string Source { get; init; } = "dump";

    /// <summary>Tests with a p-value in the FDR family (every permutation test of the analysis).</summary>
    public int FamilySize { get; init; }

    /// <summary>Why there is no p-value, or what was left out.</summary>
    public string? Note { get; init; }
}
