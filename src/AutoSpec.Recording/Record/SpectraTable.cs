using AutoSpec.Introspection;

namespace AutoSpec.Record;

/// <summary>
/// <c>spectra.parquet</c>: long format, one row per singular value — run, fold, seed, epoch, step, layer, layer_kind,
/// group, group_size (samples), group_rows, quantity (grad, act, delta, weight), route, k (1-based), sigma.
/// </summary>
internal sealed class SpectraTable
{
    private readonly SpectrumKeyColumns _key = new();
    private readonly ValueColumn<int> _k = new(RunColumns.K);
    private readonly ValueColumn<double> _sigma = new(RunColumns.Sigma);

    public SpectraTable(string runDirectory)
    {
        Table = new PartitionedParquetTable(runDirectory, RunTable.Spectra,
            [.. _key.All, _k, _sigma]);
    }

    public PartitionedParquetTable Table { get; }

    /// <summary>Adds the values of one spectrum (already truncated to what is kept).</summary>
    public void Add(RunIdentity id, StepInfo step, string layer, string layerKind, string group, int? groupSize,
        int? groupRows, string quantity, string route, IReadOnlyList<double> sigma)
    {
        for (int k = 0; k < sigma.Count; k++)
        {
            _key.Add(id, step, layer, layerKind, group, groupSize, groupRows, quantity, route);
            _k.Add(k + 1);
            _sigma.Add(sigma[k]);
        }
    }
}
