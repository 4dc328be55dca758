using AutoSpec.Analyse;

namespace AutoSpec.Record;

/// <summary>
/// <c>permutations.parquet</c>: the within-run permutation tests computed during training, one row per
/// run/layer/window/pair of groups. statistic = mean over the window's steps of metric(group_b) − metric(group_a);
/// p is two-sided (exact share of all relabellings when <c>exact</c>, else (1 + count)/(1 + permutations)); null
/// statistic and p with a note when the pair could not be tested. No multiple-comparison correction here: the
/// family is known only to the analysis.
/// </summary>
internal sealed class PermutationsTable
{
    private readonly StringColumn _run = new("run");
    private readonly ValueColumn<int> _fold = new("fold");
    private readonly ValueColumn<int> _seed = new("seed");
    private readonly StringColumn _layer = new("layer");
    private readonly StringColumn _layerKind = new("layer_kind");
    private readonly ValueColumn<int> _epoch = new("epoch");
    private readonly ValueColumn<long> _firstStep = new("first_step");
    private readonly ValueColumn<long> _lastStep = new("last_step");
    private readonly StringColumn _metric = new("metric");
    private readonly StringColumn _groupA = new("group_a");
    private readonly StringColumn _groupB = new("group_b");
    private readonly ValueColumn<int> _subjectsA = new("subjects_a");
    private readonly ValueColumn<int> _subjectsB = new("subjects_b");
    private readonly ValueColumn<int> _steps = new("steps");
    private readonly NullableColumn<double> _statistic = new("statistic");
    private readonly NullableColumn<double> _p = new("p");
    private readonly ValueColumn<int> _permutations = new("permutations");
    private readonly ValueColumn<bool> _exact = new("exact");
    private readonly StringColumn _note = new("note");

    public PermutationsTable(string runDirectory)
    {
        Table = new PartitionedParquetTable(runDirectory, "permutations",
        [
            _run, _fold, _seed, _layer, _layerKind, _epoch, _firstStep, _lastStep, _metric, _groupA, _groupB, _subjectsA,
            _subjectsB, _steps, _statistic, _p, _permutations, _exact, _note,
        ]);
    }

    public PartitionedParquetTable Table { get; }

    /// <summary>Adds one row; <paramref name="note"/> "" when there is nothing to say.</summary>
    public void Add(RunIdentity id, PermutationWindowInfo window, string layer, string layerKind, string metric,
        string groupA, string groupB, int subjectsA, int subjectsB, PermutationResult result, string note)
    {
        _run.Add(id.Run);
        _fold.Add(id.Fold);
        _seed.Add(id.Seed);
        _layer.Add(layer);
        _layerKind.Add(layerKind);
        _epoch.Add(window.Epoch);
        _firstStep.Add(window.FirstStep);
        _lastStep.Add(window.LastStep);
        _metric.Add(metric);
        _groupA.Add(groupA);
        _groupB.Add(groupB);
        _subjectsA.Add(subjectsA);
        _subjectsB.Add(subjectsB);
        _steps.Add(result.Steps);
        _statistic.Add(result.Statistic);
        _p.Add(result.PValue);
        _permutations.Add(result.Permutations);
        _exact.Add(result.Exact);
        _note.Add(note);
    }
}
