using AutoSpec.Spectra;

namespace AutoSpec.Analyse;

/// <summary>
/// What an analysis compares: the layers and groups of the subject-level tests and how their false discoveries are
/// controlled, and the quantities and metrics of the descriptive per-epoch values and trajectories.
/// </summary>
public sealed record GroupComparisonOptions
{
    /// <summary>
    /// Metrics of the descriptive per-epoch values (epoch_values, the report's trajectories). They are not tests: even
    /// these normalised ones move with a group's number of samples (docs/DESIGN.md).
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultMetrics = [.. SpectralMetrics.DescriptiveDefaults.Select(m => m.Name)];

    /// <summary>Every metric column of metrics.parquet.</summary>
    public static readonly IReadOnlyList<string> KnownMetrics = [.. SpectralMetrics.Columns.Select(m => m.Name)];

    /// <summary>Fields that can split the tests into separate FDR families.</summary>
    public static readonly IReadOnlyList<string> FamilyFields = ["layer", "metric", "epoch", "pair"];

    /// <summary>Quantities of the descriptive values (default: grad).</summary>
    public IReadOnlyList<string> Quantities { get; init; } = ["grad"];

    /// <summary>Metric columns of the descriptive values.</summary>
    public IReadOnlyList<string> Metrics { get; init; } = DefaultMetrics;

    /// <summary>Layers compared (null: every layer recorded).</summary>
    public IReadOnlyList<string>? Layers { get; init; }

    /// <summary>Groups compared, in order (the first is the reference; null: all groups but "all", sorted).</summary>
    public IReadOnlyList<string>? Groups { get; init; }

    /// <summary>The FDR procedure that decides significance (both BH and BY adjusted p-values are reported).</summary>
    public FalseDiscoveryRate.Procedure Procedure { get; init; } = FalseDiscoveryRate.Procedure.BenjaminiHochberg;

    /// <summary>
    /// Fields whose values split the tests into separate FDR families (empty: one family holding every
    /// layer × window × metric × pair test of the analysis).
    /// </summary>
    public IReadOnlyList<string> FamilyBy { get; init; } = [];

    /// <summary>FDR level q.</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>Prefix of the parameter names <see cref="Validate"/> gives.</summary>
    public const string ParamPrefix = nameof(GroupComparisonOptions) + ".";

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">
    /// An option is empty or out of range: <see cref="ArgumentException.ParamName"/> is "GroupComparisonOptions." and
    /// the property's name (e.g. "GroupComparisonOptions.Alpha"), and the message begins with it (see <see cref="OptionErrors"/>).
    /// </exception>
    public void Validate()
    {
        if (Quantities.Count == 0)
        {
            throw OptionErrors.Invalid(ParamPrefix + nameof(Quantities), "no quantity given.");
        }
        foreach (var q in Quantities.Where(q => q is not ("grad" or "act" or "delta" or "weight")))
        {
            throw OptionErrors.Invalid(ParamPrefix + nameof(Quantities), $"unknown quantity '{q}'; use grad, act, delta or weight.");
        }
        if (Metrics.Count == 0)
        {
            throw OptionErrors.Invalid(ParamPrefix + nameof(Metrics), "no metric given.");
        }
        foreach (var m in Metrics.Where(m => !KnownMetrics.Contains(m)))
        {
            throw OptionErrors.Invalid(ParamPrefix + nameof(Metrics), $"unknown metric '{m}'; use any of {string.Join(", ", KnownMetrics)}.");
        }
        foreach (var f in FamilyBy.Where(f => !FamilyFields.Contains(f)))
        {
            throw OptionErrors.Invalid(ParamPrefix + nameof(FamilyBy), $"unknown field '{f}'; use 'all' or any of {string.Join(", ", FamilyFields)}.");
        }
        if (!(Alpha > 0 && Alpha < 1))
        {
            throw OptionErrors.OutOfRange(ParamPrefix + nameof(Alpha), Alpha, $"must be between 0 and 1 (got {Alpha}).");
        }
        if (Groups is { Count: < 2 })
        {
            throw OptionErrors.Invalid(ParamPrefix + nameof(Groups), "name at least two groups.");
        }
    }
}
