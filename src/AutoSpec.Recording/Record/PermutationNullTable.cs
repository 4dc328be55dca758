using AutoSpec.Introspection;

namespace AutoSpec.Record;

/// <summary>
/// <c>permutation_null.parquet</c>: for every test of <c>permutations.parquet</c>, its statistic under each
/// relabelling (<c>permutation</c> = 0-based index in the run's shared relabelling order; NaN where a relabelling
/// left a group without rows). Runs on the same subjects with the same permutation seed evaluate the same
/// relabellings in the same order, so <c>autospec analyze</c> can average several runs' statistics relabelling by
/// relabelling and test the average exactly (DESIGN.md, "Comparing groups honestly").
/// </summary>
internal sealed class PermutationNullTable
{
    private readonly StringColumn _run = new(RunColumns.Run);
    private readonly StringColumn _layer = new(RunColumns.Layer);
    private readonly ValueColumn<long> _firstStep = new(RunColumns.FirstStep);
    private readonly ValueColumn<long> _lastStep = new(RunColumns.LastStep);
    private readonly StringColumn _metric = new(RunColumns.Metric);
    private readonly StringColumn _groupA = new(RunColumns.GroupA);
    private readonly StringColumn _groupB = new(RunColumns.GroupB);
    private readonly ValueColumn<int> _permutation = new(RunColumns.Permutation);
    private readonly ValueColumn<double> _statistic = new(RunColumns.Statistic);

    public PermutationNullTable(string runDirectory)
    {
        Table = new PartitionedParquetTable(runDirectory, RunTable.PermutationNull,
            [_run, _layer, _firstStep, _lastStep, _metric, _groupA, _groupB, _permutation, _statistic]);
    }

    public PartitionedParquetTable Table { get; }

    /// <summary>Adds the statistics of one test, one row per relabelling.</summary>
    public void Add(RunIdentity id, PermutationWindowInfo window, string layer, string metric, string groupA, string groupB,
        IReadOnlyList<double> statistics)
    {
        for (int k = 0; k < statistics.Count; k++)
        {
            _run.Add(id.Run);
            _layer.Add(layer);
            _firstStep.Add(window.FirstStep);
            _lastStep.Add(window.LastStep);
            _metric.Add(metric);
            _groupA.Add(groupA);
            _groupB.Add(groupB);
            _permutation.Add(k);
            _statistic.Add(statistics[k]);
        }
    }
}
