namespace AutoSpec.Sweeps;

/// <summary>Resources and placement of each task of a SLURM job array.</summary>
public sealed record SlurmScriptOptions
{
    /// <summary>Wall time limit per task (SLURM syntax, e.g. 02:00:00 or 1-00:00:00).</summary>
    public string Time { get; init; } = "02:00:00";

    /// <summary>Memory per task (SLURM syntax, e.g. 4G).</summary>
    public string Memory { get; init; } = "4G";

    /// <summary>CPUs per task; also the TorchSharp threads of the run.</summary>
    public int CpusPerTask { get; init; } = 2;

    /// <summary>Partition, or null for the cluster's default.</summary>
    public string? Partition { get; init; }

    /// <summary>Account, or null.</summary>
    public string? Account { get; init; }

    /// <summary>At most this many tasks at once (the array's %N), or null for no limit.</summary>
    public int? MaxParallel { get; init; }
}
