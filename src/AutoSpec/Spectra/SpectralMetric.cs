namespace AutoSpec.Spectra;

/// <summary>
/// One metric of a group's gradient: its name (column of metrics.parquet, value of the permutation tests' metric), how
/// it is computed and how it may be used. Every metric is declared once, in <see cref="SpectralMetrics"/>.
/// </summary>
public sealed record SpectralMetric
{
    /// <summary>Declares a metric.</summary>
    /// <param name="name">Name in tables and options.</param>
    /// <param name="words">Plain-words name in reports and findings.</param>
    internal SpectralMetric(string name, string words)
    {
        Name = name;
        Words = words;
    }

    /// <summary>Name in tables and options (snake case).</summary>
    public string Name { get; }

    /// <summary>Plain-words name in reports and findings.</summary>
    public string Words { get; }

    /// <summary>
    /// Whether the values of groups of different sizes may be compared as they are: true only when the metric's
    /// expectation does not depend on the group's number of samples (docs/DESIGN.md).
    /// </summary>
    public bool SizeFree { get; init; }

    /// <summary>Whether the value depends on the K of the top-K summaries (IntrospectionOptions.MetricTopK).</summary>
    public bool TakesTopK { get; init; }

    /// <summary>
    /// Position among the analysis's default descriptive metrics (null: not among them). The positions keep the order
    /// in which the analysis has always listed them.
    /// </summary>
    public int? DescriptivePosition { get; init; }

    /// <summary>Whether the online permutation test uses this metric unless told otherwise.</summary>
    public bool PermutationDefault { get; init; }

    /// <summary>
    /// The value from a spectrum's summary and the group-size normaliser of <see cref="MetricNormaliser"/> (null when
    /// the quantity has none, e.g. weights); null when the metric is not a summary of one spectrum (not a column of
    /// metrics.parquet).
    /// </summary>
    internal Func<SpectrumSummary, double?, double?>? FromSummary { get; init; }

    /// <summary>
    /// metric(B) − metric(A) at one step straight from the Gram blocks, for a split of its subjects into those in B and
    /// the others; null when either group has no rows. Set for metrics that need no eigendecomposition; the others are
    /// computed from the groups' spectra (<see cref="GramStep.Group"/>).
    /// </summary>
    internal Func<GramStep, bool[], double?>? GramDifference { get; init; }

    /// <summary>Whether the value is a column of metrics.parquet.</summary>
    public bool IsColumn => FromSummary is not null;

    /// <summary>
    /// Whether a permutation test over Gram blocks can use it. Metrics that take K cannot: the test would need K from
    /// the run's options, and silently using another K would test something other than the recorded column.
    /// </summary>
    public bool Permutable => GramDifference is not null || (FromSummary is not null && !TakesTopK);

    /// <summary>Whether a relabelling costs no eigendecomposition (cheap enough for thousands during training).</summary>
    public bool Cheap => GramDifference is not null;

    /// <summary>The value of one group's spectrum (null for an absent group or an undefined value).</summary>
    /// <param name="summary">Summary of the group's spectrum; null when the group is absent.</param>
    /// <param name="normaliser">Group-size normaliser (<see cref="MetricNormaliser"/>); null when there is none.</param>
    internal double? Of(SpectrumSummary? summary, double? normaliser) =>
        summary is null ? null : (FromSummary ?? throw new InvalidOperationException($"'{Name}' is not a summary of one spectrum"))(summary, normaliser);

    /// <summary>metric(B) − metric(A) at one step; null when either group has no rows or the value is undefined.</summary>
    /// <param name="step">The step's Gram blocks.</param>
    /// <param name="inB">Whether each subject is in B.</param>
    /// <param name="inA">Whether each subject is in A (the complement of <paramref name="inB"/>, built once by the caller).</param>
    internal double? Difference(GramStep step, bool[] inB, Func<bool[]> inA)
    {
        if (GramDifference is not null)
        {
            return GramDifference(step, inB);
        }
        if (!Permutable)
        {
            throw new InvalidOperationException($"'{Name}' has no permutation statistic");
        }
        return ValueOfGroup(step, inB) is double b && ValueOfGroup(step, inA()) is double a ? b - a : null;
    }

    /// <summary>The metric of one group's gradient at one step, from its spectrum; null when it has no rows there.</summary>
    private double? ValueOfGroup(GramStep step, bool[] inGroup)
    {
        int samples = step.Samples(inGroup);
        if (samples == 0)
        {
            return null;
        }
        var (sigma, _) = step.Group(inGroup);
        // K is irrelevant: metrics that take it are not permutable.
        return FromSummary!(SpectrumSummary.Of(sigma, 0), MetricNormaliser.Gradient(step.BatchSamples, samples));
    }
}
