namespace AutoSpec;

/// <summary>The parts of introspection whose time <see cref="IntrospectionTimings"/> accumulates.</summary>
public enum IntrospectionPhase
{
    /// <summary>Taking the captured factors after backward (stacking rows, copying out of the hooks' handles).</summary>
    Capture,

    /// <summary>Partitioning rows by group and computing the spectra.</summary>
    Spectra,

    /// <summary>Summaries and rows into the in-memory table buffers.</summary>
    Recording,

    /// <summary>Writing Parquet part files and the manifest.</summary>
    Flushing,

    /// <summary>σ(W) of every watched layer.</summary>
    Weights,

    /// <summary>Gram blocks of the online permutation test and the tests when a window closes.</summary>
    Permutations,
}
