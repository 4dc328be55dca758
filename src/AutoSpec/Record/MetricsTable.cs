using AutoSpec.Spectra;


namespace AutoSpec.Record;

/// <summary>
/// <c>metrics.parquet</c>: one row per run/step/layer/group/quantity with the scalar summaries of the full spectrum
/// (before any top-k truncation). A group absent from a step's batch has a row with present = false, group_size 0
/// and null metrics — never zeros.
/// </summary>
internal sealed class MetricsTable
{
    private readonly SpectrumKeyColumns _key = new();
    private readonly ValueColumn<bool> _present = new("present");
    private readonly NullableColumn<int> _rank = new("n_sigma");
    private readonly NullableColumn<double> _sigma1 = new("sigma1");
    private readonly NullableColumn<double> _frobenius = new("frobenius");
    private readonly NullableColumn<double> _nuclear = new("nuclear");
    private readonly NullableColumn<double> _stableRank = new("stable_rank");
    private readonly NullableColumn<double> _effectiveRank = new("effective_rank");
    private readonly NullableColumn<double> _topKSum = new("topk_sum");
    private readonly NullableColumn<double> _topKFraction = new("topk_fraction");
    private readonly NullableColumn<double> _sigma1Normalised = new("sigma1_normalised");
    private readonly NullableColumn<double> _frobeniusNormalised = new("frobenius_normalised");
    private readonly NullableColumn<double> _spectralDecay = new("spectral_decay");

    public MetricsTable(string runDirectory)
    {
        Table = new PartitionedParquetTable(runDirectory, "metrics",
        [
            .. _key.All, _present, _rank, _sigma1, _frobenius, _nuclear, _stableRank, _effectiveRank, _topKSum, _topKFraction,
            _sigma1Normalised, _frobeniusNormalised, _spectralDecay,
        ]);
    }

    public PartitionedParquetTable Table { get; }

    /// <summary>
    /// Adds one row. <paramref name="summary"/> null marks an absent group. <paramref name="normaliser"/> multiplies
    /// σ₁ and the Frobenius norm into their size-free forms (see <see cref="MetricNormaliser"/>).
    /// </summary>
    public void Add(RunIdentity id, StepInfo step, string layer, string layerKind, string group, int? groupSize,
        int? groupRows, string quantity, string route, int? count, SpectrumSummary? summary, double? normaliser)
    {
        _key.Add(id, step, layer, layerKind, group, groupSize, groupRows, quantity, route);
        _present.Add(summary is not null);
        _rank.Add(count);
        _sigma1.Add(summary?.Sigma1);
        _frobenius.Add(summary?.Frobenius);
        _nuclear.Add(summary?.Nuclear);
        _stableRank.Add(summary?.StableRank);
        _effectiveRank.Add(summary?.EffectiveRank);
        _topKSum.Add(summary?.TopKSum);
        _topKFraction.Add(summary?.TopKFraction);
        _sigma1Normalised.Add(summary is null || normaliser is null ? null : summary.Sigma1 * normaliser);
        _frobeniusNormalised.Add(summary is null || normaliser is null ? null : summary.Frobenius * normaliser);
        _spectralDecay.Add(summary?.SpectralDecay);
    }
}
