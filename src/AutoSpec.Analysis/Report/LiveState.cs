namespace AutoSpec.Report;

/// <summary>Where a watched run stands, as a live page shows it (<see cref="LiveStatus"/>).</summary>
public enum LiveState
{
    /// <summary>The run is going but has flushed no rows yet.</summary>
    Waiting,

    /// <summary>The run is going; the page shows the rows flushed so far.</summary>
    Running,

    /// <summary>The run completed: the final page.</summary>
    Complete,

    /// <summary>The run failed, or its process ended without marking it complete or failed.</summary>
    Failed,

    /// <summary>Watching was stopped (Ctrl+C) while the run may still be going.</summary>
    Stopped,
}
