namespace AutoSpec.Introspection;

/// <summary>
/// Work a consumer hands to the probe's pipeline: run in step order with every other consumer's, on the background
/// thread when there is one.
/// </summary>
/// <param name="Run">The work; it releases what it holds.</param>
/// <param name="Release">Releases what the work holds without running it (after an earlier error).</param>
/// <param name="Bytes">Bytes of tensors the work holds until it has run (for the background queue's budget).</param>
internal sealed record ConsumerWork(Action Run, Action? Release = null, long Bytes = 0);
