using AutoSpec.Permutation;

namespace AutoSpec.Analyse;

/// <summary>One run's subject-level permutation test: one run, layer, window of steps, metric and pair of groups.</summary>
/// <param name="Run">Run id.</param>
/// <param name="Layer">Layer name.</param>
/// <param name="Epoch">Epoch of the window's first step.</param>
/// <param name="FirstStep">First step of the window.</param>
/// <param name="LastStep">Last step of the window.</param>
/// <param name="Metric">Metric of the statistic.</param>
/// <param name="Result">Statistic (B − A), its null distribution, p-value, permutations, exactness.</param>
public sealed record PermutationRow(string Run, string Layer, int Epoch, long FirstStep, long LastStep, string Metric, PermutationResult Result)
{
    /// <summary>Reference group of the pair ("" for a layer that could not be tested).</summary>
    public string GroupA { get; init; } = "";

    /// <summary>Compared group of the pair.</summary>
    public string GroupB { get; init; } = "";

    /// <summary>Subjects of A in the window.</summary>
    public int SubjectsA { get; init; }

    /// <summary>Subjects of B in the window.</summary>
    public int SubjectsB { get; init; }

    /// <summary>Subjects of A whose labels the relabellings exchange (the run's data set).</summary>
    public int UniverseA { get; init; }

    /// <summary>Subjects of B whose labels the relabellings exchange.</summary>
    public int UniverseB { get; init; }

    /// <summary>"recorded" (permutations.parquet, computed during training) or "dump" (recomputed from run --dump-steps).</summary>
    public string Source { get; init; } = "dump";

    /// <summary>Why there is no p-value, or what was left out.</summary>
    public string? Note { get; init; }
}
