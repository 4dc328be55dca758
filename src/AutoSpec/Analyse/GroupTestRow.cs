namespace AutoSpec.Analyse;

/// <summary>
/// One comparison of two groups for one layer, quantity, metric and epoch across runs. Differences are
/// <see cref="GroupB"/> − <see cref="GroupA"/>. P-values are null when the test could not be run (see
/// <see cref="Status"/> and <see cref="Note"/>); such rows are not part of any FDR family.
/// </summary>
public sealed record GroupTestRow
{
    /// <summary>Layer name.</summary>
    public required string Layer { get; init; }

    /// <summary>grad, act, delta or weight.</summary>
    public required string Quantity { get; init; }

    /// <summary>Metric column.</summary>
    public required string Metric { get; init; }

    /// <summary>0-based epoch.</summary>
    public required int Epoch { get; init; }

    /// <summary>Reference group.</summary>
    public required string GroupA { get; init; }

    /// <summary>Compared group.</summary>
    public required string GroupB { get; init; }

    /// <summary>Runs used (pairs for paired tests; runs with a value in either group for unpaired ones).</summary>
    public required int Runs { get; init; }

    /// <summary>Mean over runs of group A's epoch value.</summary>
    public double? MeanA { get; init; }

    /// <summary>Mean over runs of group B's epoch value.</summary>
    public double? MeanB { get; init; }

    /// <summary>MeanB − MeanA.</summary>
    public double? MeanDifference { get; init; }

    /// <summary>The test whose p-value is FDR-corrected, e.g. paired_t, wilcoxon_exact.</summary>
    public required string Test { get; init; }

    /// <summary>Its statistic.</summary>
    public double? Statistic { get; init; }

    /// <summary>Degrees of freedom (t tests).</summary>
    public double? DegreesOfFreedom { get; init; }

    /// <summary>Unadjusted two-sided p-value.</summary>
    public double? P { get; init; }

    /// <summary>Adjusted p-value by the chosen procedure.</summary>
    public double? PAdjusted { get; init; }

    /// <summary>Benjamini–Hochberg adjusted p-value within the family.</summary>
    public double? PBenjaminiHochberg { get; init; }

    /// <summary>Benjamini–Yekutieli adjusted p-value within the family.</summary>
    public double? PBenjaminiYekutieli { get; init; }

    /// <summary>PAdjusted ≤ alpha.</summary>
    public bool Significant { get; init; }

    /// <summary>Name of the FDR family ("all" or e.g. "layer=fc1").</summary>
    public required string Family { get; init; }

    /// <summary>Number of tests with a p-value in the family.</summary>
    public int FamilySize { get; init; }

    /// <summary>cohens_dz (paired) or cohens_d (unpaired).</summary>
    public required string EffectName { get; init; }

    /// <summary>Standardised effect size of B − A.</summary>
    public double? Effect { get; init; }

    /// <summary>Lower bootstrap bound of the effect.</summary>
    public double? EffectLow { get; init; }

    /// <summary>Upper bootstrap bound of the effect.</summary>
    public double? EffectHigh { get; init; }

    /// <summary>Rank-biserial correlation of B against A (matched pairs or two samples).</summary>
    public double? RankBiserial { get; init; }

    /// <summary>Lower bootstrap bound of the rank-biserial correlation.</summary>
    public double? RankBiserialLow { get; init; }

    /// <summary>Upper bootstrap bound of the rank-biserial correlation.</summary>
    public double? RankBiserialHigh { get; init; }

    /// <summary>p of the paired t test (always reported for paired data).</summary>
    public double? PPairedT { get; init; }

    /// <summary>p of the Wilcoxon signed-rank test (always reported for paired data).</summary>
    public double? PWilcoxon { get; init; }

    /// <summary>ok, too_few_replicates or no_variation.</summary>
    public required string Status { get; init; }

    /// <summary>Why there is no p-value, or a caveat.</summary>
    public string? Note { get; init; }
}
