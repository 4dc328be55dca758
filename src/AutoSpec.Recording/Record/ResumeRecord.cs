namespace AutoSpec.Record;

/// <summary>One resumption of a run from its checkpoint, as listed in the manifest's <c>resumed</c>.</summary>
/// <param name="FromStep">The first step run again (the steps before it came from the checkpoint).</param>
/// <param name="FromEpoch">The epoch of that step.</param>
/// <param name="AtUtc">When the run was resumed.</param>
/// <param name="PreviousStatus">The status the interrupted run had left (running or failed).</param>
internal sealed record ResumeRecord(long FromStep, int FromEpoch, DateTime AtUtc, string PreviousStatus);
