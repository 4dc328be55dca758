namespace AutoSpec.Introspection;

/// <summary>The parts of introspection whose time <see cref="IntrospectionTimings"/> accumulates.</summary>
public enum IntrospectionPhase
{
    /// <summary>Taking the captured factors after backward (stacking rows, copying out of the hooks' handles).</summary>
    Capture,

    /// <summary>Partitioning rows by group and computing the spectra.</summary>
    Spectra,

    /// <summary>Summaries and rows into the in-memory table buffers.</summary>
    Recording,

    /// <summary>Writing Parquet part files and the manifest (when a step fills the buffers, and at epoch ends).</summary>
    Flushing,

    /// <summary>σ(W) of every watched layer.</summary>
    Weights,

    /// <summary>Gram blocks of the online permutation test and the tests when a window closes.</summary>
    Permutations,

    /// <summary>
    /// The training thread waiting for the background thread (a full queue, or draining before a checkpoint): the
    /// part of the other phases that did not overlap training. Zero without a background thread.
    /// </summary>
    Waiting,
}
