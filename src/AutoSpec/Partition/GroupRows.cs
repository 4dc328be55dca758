namespace AutoSpec.Partition;

/// <summary>The rows of one step's factors that belong to one group (or to the whole batch).</summary>
/// <param name="Group">Group name; <see cref="RowPartition.AllGroup"/> for the whole batch.</param>
/// <param name="Rows">Row indices into A and Δ, ascending.</param>
/// <param name="SampleCount">Number of distinct samples behind the rows (n_g).</param>
public sealed record GroupRows(string Group, long[] Rows, int SampleCount)
{
    /// <summary>Number of rows (samples × time steps or positions).</summary>
    public int RowCount => Rows.Length;
}
