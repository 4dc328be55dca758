namespace AutoSpec.Record;

/// <summary>
/// <c>spectra.parquet</c>: long format, one row per singular value — run, fold, seed, epoch, step, layer, layer_kind,
/// group, group_size (samples), group_rows, quantity (grad, act, delta, weight), route, k (1-based), sigma.
/// </summary>
internal sealed class SpectraTable
{
    private readonly StringColumn _run = new("run");
    private readonly ValueColumn<int> _fold = new("fold");
    private readonly ValueColumn<int> _seed = new("seed");
    private readonly ValueColumn<int> _epoch = new("epoch");
    private readonly ValueColumn<long> _step = new("step");
    private readonly StringColumn _layer = new("layer");
    private readonly StringColumn _layerKind = new("layer_kind");
    private readonly StringColumn _group = new("group");
    private readonly NullableColumn<int> _groupSize = new("group_size");
    private readonly NullableColumn<int> _groupRows = new("group_rows");
    private readonly StringColumn _quantity = new("quantity");
    private readonly StringColumn _route = new("route");
    private readonly ValueColumn<int> _k = new("k");
    private readonly ValueColumn<double> _sigma = new("sigma");

    public SpectraTable(string runDirectory)
    {
        Table = new PartitionedParquetTable(runDirectory, "spectra",
            [_run, _fold, _seed, _epoch, _step, _layer, _layerKind, _group, _groupSize, _groupRows, _quantity, _route, _k, _sigma]);
    }

    public PartitionedParquetTable Table { get; }

    /// <summary>Adds the values of one spectrum (already truncated to what is kept).</summary>
    public void Add(RunIdentity id, StepInfo step, string layer, string layerKind, string group, int? groupSize,
        int? groupRows, string quantity, string route, IReadOnlyList<double> sigma)
    {
        for (int k = 0; k < sigma.Count; k++)
        {
            _run.Add(id.Run);
            _fold.Add(id.Fold);
            _seed.Add(id.Seed);
            _epoch.Add(step.Epoch);
            _step.Add(step.Step);
            _layer.Add(layer);
            _layerKind.Add(layerKind);
            _group.Add(group);
            _groupSize.Add(groupSize);
            _groupRows.Add(groupRows);
            _quantity.Add(quantity);
            _route.Add(route);
            _k.Add(k + 1);
            _sigma.Add(sigma[k]);
        }
    }
}
