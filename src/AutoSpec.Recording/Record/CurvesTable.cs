using AutoSpec.Introspection;

namespace AutoSpec.Record;

/// <summary>
/// <c>curves.parquet</c>: training curves. split = <see cref="CurvePoint.TrainStep"/> (the mini-batch of each step),
/// <see cref="CurvePoint.Train"/> and <see cref="CurvePoint.Validation"/> (whole split, evaluated at the end of each
/// epoch); loss, accuracy and ROC AUC (binary: AUC of the positive class; multi-class: macro one-vs-rest; null when a
/// split has a single class). <c>group</c> is <see cref="CurvePoint.AllGroups"/> but for split
/// <see cref="CurvePoint.ValidationGroup"/>, where it names the group evaluated.
/// </summary>
internal sealed class CurvesTable
{
    private readonly StringColumn _run = new(RunColumns.Run);
    private readonly ValueColumn<int> _fold = new(RunColumns.Fold);
    private readonly ValueColumn<int> _seed = new(RunColumns.Seed);
    private readonly ValueColumn<int> _epoch = new(RunColumns.Epoch);
    private readonly ValueColumn<long> _step = new(RunColumns.Step);
    private readonly StringColumn _split = new(RunColumns.Split);
    private readonly StringColumn _group = new(RunColumns.Group);
    private readonly ValueColumn<int> _samples = new(RunColumns.Samples);
    private readonly ValueColumn<double> _loss = new(RunColumns.Loss);
    private readonly ValueColumn<double> _accuracy = new(RunColumns.Accuracy);
    private readonly NullableColumn<double> _auc = new(RunColumns.Auc);

    public CurvesTable(string runDirectory)
    {
        Table = new PartitionedParquetTable(runDirectory, RunTable.Curves,
            [_run, _fold, _seed, _epoch, _step, _split, _group, _samples, _loss, _accuracy, _auc]);
    }

    public PartitionedParquetTable Table { get; }

    public void Add(RunIdentity id, int epoch, long step, string split, string group, int samples, double loss, double accuracy, double? auc)
    {
        _run.Add(id.Run);
        _fold.Add(id.Fold);
        _seed.Add(id.Seed);
        _epoch.Add(epoch);
        _step.Add(step);
        _split.Add(split);
        _group.Add(group);
        _samples.Add(samples);
        _loss.Add(loss);
        _accuracy.Add(accuracy);
        _auc.Add(auc);
    }
}
