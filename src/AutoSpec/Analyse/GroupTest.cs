namespace AutoSpec.Analyse;

/// <summary>The test whose p-values enter the FDR family of a group comparison.</summary>
public enum GroupTest
{
    /// <summary>Paired t test over runs (groups paired within a run). The default: with a handful of runs it is the
    /// only paired test that can reach small p-values (exact Wilcoxon with 5 runs cannot go below 0.0625).</summary>
    PairedT,

    /// <summary>Wilcoxon signed-rank over runs (exact for up to 50 runs without ties).</summary>
    Wilcoxon,

    /// <summary>Welch's t, ignoring the pairing (groups treated as independent samples of runs).</summary>
    Welch,

    /// <summary>Mann–Whitney U, ignoring the pairing.</summary>
    MannWhitney,
}
