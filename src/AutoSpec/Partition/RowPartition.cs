namespace AutoSpec.Partition;

/// <summary>
/// Splits the rows of a step's factors by the group of the sample each row belongs to. The groups partition the
/// rows, so the group gradients sum to the batch gradient exactly. Groups with no sample in the batch are listed in
/// <see cref="Absent"/> and get no rows (never zeros).
/// </summary>
internal sealed class RowPartition
{
    /// <summary>Name of the pseudo-group that holds every row of the batch.</summary>
    public const string AllGroup = "all";

    private RowPartition(IReadOnlyList<GroupRows> groups, GroupRows all, IReadOnlyList<string> absent)
    {
        Groups = groups;
        All = all;
        Absent = absent;
    }

    /// <summary>Groups present in the batch, in the order of the group names given.</summary>
    public IReadOnlyList<GroupRows> Groups { get; }

    /// <summary>Every row of the batch.</summary>
    public GroupRows All { get; }

    /// <summary>Groups with no sample in this batch.</summary>
    public IReadOnlyList<string> Absent { get; }

    /// <summary>
    /// Builds the partition from each row's batch sample and each batch sample's group index.
    /// </summary>
    /// <param name="rowSample">Batch sample index of every row.</param>
    /// <param name="sampleGroup">Group index (into <paramref name="groupNames"/>) of every batch sample.</param>
    /// <param name="groupNames">All group names of the study, present in this batch or not.</param>
    public static RowPartition Create(int[] rowSample, int[] sampleGroup, IReadOnlyList<string> groupNames)
    {
        var rows = new List<long>[groupNames.Count];
        var samples = new HashSet<int>[groupNames.Count];
        for (int g = 0; g < groupNames.Count; g++)
        {
            rows[g] = [];
            samples[g] = [];
        }
        for (int r = 0; r < rowSample.Length; r++)
        {
            int s = rowSample[r];
            if ((uint)s >= (uint)sampleGroup.Length)
            {
                throw new ArgumentException($"row {r} belongs to sample {s}, but the batch has {sampleGroup.Length} samples");
            }
            int g = sampleGroup[s];
            if ((uint)g >= (uint)groupNames.Count)
            {
                throw new ArgumentException($"sample {s} has group index {g}; only {groupNames.Count} groups are known");
            }
            rows[g].Add(r);
            samples[g].Add(s);
        }
        var present = new List<GroupRows>();
        var absent = new List<string>();
        for (int g = 0; g < groupNames.Count; g++)
        {
            if (rows[g].Count == 0)
            {
                absent.Add(groupNames[g]);
            }
            else
            {
                present.Add(new GroupRows(groupNames[g], [.. rows[g]], samples[g].Count));
            }
        }
        var all = new GroupRows(AllGroup, Enumerable.Range(0, rowSample.Length).Select(i => (long)i).ToArray(),
            rowSample.Distinct().Count());
        return new RowPartition(present, all, absent);
    }
}
