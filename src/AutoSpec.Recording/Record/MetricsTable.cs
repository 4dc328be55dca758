using AutoSpec.Introspection;
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
    private readonly ValueColumn<bool> _present = new(RunColumns.Present);
    private readonly NullableColumn<int> _rank = new(RunColumns.SigmaCount);
    private readonly NullableColumn<double>[] _values = [.. SpectralMetrics.Columns.Select(m => new NullableColumn<double>(m.Name))];

    public MetricsTable(string runDirectory)
    {
        Table = new PartitionedParquetTable(runDirectory, RunTable.Metrics, [.. _key.All, _present, _rank, .. _values]);
    }

    public PartitionedParquetTable Table { get; }

    /// <summary>
    /// Adds one row: a column per metric of <see cref="SpectralMetrics.Columns"/>. <paramref name="summary"/> null marks
    /// an absent group. <paramref name="normaliser"/> turns σ₁ and the Frobenius norm into their per-sample forms (see
    /// <see cref="MetricNormaliser"/>).
    /// </summary>
    public void Add(RunIdentity id, StepInfo step, string layer, string layerKind, string group, int? groupSize,
        int? groupRows, string quantity, string route, int? count, SpectrumSummary? summary, double? normaliser)
    {
        _key.Add(id, step, layer, layerKind, group, groupSize, groupRows, quantity, route);
        _present.Add(summary is not null);
        _rank.Add(count);
        for (int i = 0; i < _values.Length; i++)
        {
            _values[i].Add(SpectralMetrics.Columns[i].Of(summary, normaliser));
        }
    }
}
