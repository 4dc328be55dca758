namespace AutoSpec.Record;

/// <summary>
/// How far a <see cref="RunRecorder"/> had written when a checkpoint was taken (its buffers were empty then): part
/// files per table and the rows they hold, and the steps recorded. Parts numbered beyond it are discarded on resume.
/// </summary>
/// <param name="Parts">Table name → number of part files written.</param>
/// <param name="Rows">Table name → rows in those parts.</param>
/// <param name="RecordedSteps">Steps whose spectra were recorded.</param>
internal sealed record RecorderPosition(IReadOnlyDictionary<string, int> Parts, IReadOnlyDictionary<string, long> Rows, long RecordedSteps)
{
    /// <summary>No position yet (a checkpoint whose recorder part is filled in later, see <c>TrainingCheckpoint.At</c>).</summary>
    public static RecorderPosition None { get; } = new(new Dictionary<string, int>(), new Dictionary<string, long>(), 0);
}
