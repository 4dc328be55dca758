using AutoSpec.Introspection;
using AutoSpec.Permutation;

namespace AutoSpec.Record;

/// <summary>
/// <c>permutations.parquet</c>: the within-run permutation tests computed during training, one row per
/// run/layer/window/metric/pair of groups. statistic = mean over the window's steps of metric(group_b) − metric(group_a);
/// null_mean and null_sd describe it under the relabellings (what random groups of the same sizes show), excess =
/// statistic − null_mean, z = excess / null_sd; p is two-sided about the null's centre (see
/// <see cref="PermutationResult.Of"/>); null statistic and p with a note when the pair could not be tested. The
/// statistic under every relabelling goes to <c>permutation_null.parquet</c> (<see cref="PermutationNullTable"/>).
/// No multiple-comparison correction here: the family is known only to the analysis.
/// </summary>
internal sealed class PermutationsTable
{
    private readonly StringColumn _run = new(RunColumns.Run);
    private readonly ValueColumn<int> _fold = new(RunColumns.Fold);
    private readonly ValueColumn<int> _seed = new(RunColumns.Seed);
    private readonly StringColumn _layer = new(RunColumns.Layer);
    private readonly StringColumn _layerKind = new(RunColumns.LayerKind);
    private readonly ValueColumn<int> _epoch = new(RunColumns.Epoch);
    private readonly ValueColumn<long> _firstStep = new(RunColumns.FirstStep);
    private readonly ValueColumn<long> _lastStep = new(RunColumns.LastStep);
    private readonly StringColumn _metric = new(RunColumns.Metric);
    private readonly StringColumn _groupA = new(RunColumns.GroupA);
    private readonly StringColumn _groupB = new(RunColumns.GroupB);
    private readonly ValueColumn<int> _subjectsA = new(RunColumns.SubjectsA);
    private readonly ValueColumn<int> _subjectsB = new(RunColumns.SubjectsB);
    private readonly ValueColumn<int> _universeA = new(RunColumns.UniverseA);
    private readonly ValueColumn<int> _universeB = new(RunColumns.UniverseB);
    private readonly ValueColumn<int> _steps = new(RunColumns.Steps);
    private readonly NullableColumn<double> _statistic = new(RunColumns.Statistic);
    private readonly NullableColumn<double> _nullMean = new(RunColumns.NullMean);
    private readonly NullableColumn<double> _nullSd = new(RunColumns.NullSd);
    private readonly NullableColumn<double> _excess = new(RunColumns.Excess);
    private readonly NullableColumn<double> _z = new(RunColumns.Z);
    private readonly NullableColumn<double> _p = new(RunColumns.P);
    private readonly ValueColumn<int> _permutations = new(RunColumns.Permutations);
    private readonly ValueColumn<bool> _exact = new(RunColumns.Exact);
    private readonly ValueColumn<int> _relabellingSeed = new(RunColumns.RelabellingSeed);
    private readonly ValueColumn<bool> _shared = new(RunColumns.SharedRelabellings);
    private readonly StringColumn _note = new(RunColumns.Note);

    public PermutationsTable(string runDirectory)
    {
        Table = new PartitionedParquetTable(runDirectory, RunTable.Permutations,
        [
            _run, _fold, _seed, _layer, _layerKind, _epoch, _firstStep, _lastStep, _metric, _groupA, _groupB, _subjectsA,
            _subjectsB, _universeA, _universeB, _steps, _statistic, _nullMean, _nullSd, _excess, _z, _p, _permutations, _exact,
            _relabellingSeed, _shared, _note,
        ]);
        Null = new PermutationNullTable(runDirectory);
    }

    public PartitionedParquetTable Table { get; }

    /// <summary>The statistic of every test under every relabelling.</summary>
    public PermutationNullTable Null { get; }

    /// <summary>Adds one row; <paramref name="note"/> "" when there is nothing to say.</summary>
    public void Add(RunIdentity id, PermutationWindowInfo window, string layer, string layerKind, string metric,
        string groupA, string groupB, int subjectsA, int subjectsB, int universeA, int universeB, PermutationResult result, string note)
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
        _universeA.Add(universeA);
        _universeB.Add(universeB);
        _steps.Add(result.Steps);
        _statistic.Add(result.Statistic);
        _nullMean.Add(result.NullMean);
        _nullSd.Add(result.NullSd);
        _excess.Add(result.Excess);
        _z.Add(result.Z);
        _p.Add(result.PValue);
        _permutations.Add(result.Permutations);
        _exact.Add(result.Exact);
        _relabellingSeed.Add(result.RelabellingSeed);
        _shared.Add(result.Shared);
        _note.Add(note);
        Null.Add(id, window, layer, metric, groupA, groupB, result.Null);
    }
}
