using AutoSpec.Introspection;

namespace AutoSpec.Record;

/// <summary>
/// The columns that say which spectrum a row of spectra.parquet or metrics.parquet belongs to: run, fold, seed,
/// epoch, step, layer, layer_kind, group, group_size, group_rows, quantity, route.
/// </summary>
internal sealed class SpectrumKeyColumns
{
    private readonly StringColumn _run = new(RunColumns.Run);
    private readonly ValueColumn<int> _fold = new(RunColumns.Fold);
    private readonly ValueColumn<int> _seed = new(RunColumns.Seed);
    private readonly ValueColumn<int> _epoch = new(RunColumns.Epoch);
    private readonly ValueColumn<long> _step = new(RunColumns.Step);
    private readonly StringColumn _layer = new(RunColumns.Layer);
    private readonly StringColumn _layerKind = new(RunColumns.LayerKind);
    private readonly StringColumn _group = new(RunColumns.Group);
    private readonly NullableColumn<int> _groupSize = new(RunColumns.GroupSize);
    private readonly NullableColumn<int> _groupRows = new(RunColumns.GroupRows);
    private readonly StringColumn _quantity = new(RunColumns.Quantity);
    private readonly StringColumn _route = new(RunColumns.Route);

    /// <summary>The key columns, in file order.</summary>
    public IReadOnlyList<Column> All =>
        [_run, _fold, _seed, _epoch, _step, _layer, _layerKind, _group, _groupSize, _groupRows, _quantity, _route];

    /// <summary>Adds the key of one row.</summary>
    public void Add(RunIdentity id, StepInfo step, string layer, string layerKind, string group, int? groupSize,
        int? groupRows, string quantity, string route)
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
    }
}
