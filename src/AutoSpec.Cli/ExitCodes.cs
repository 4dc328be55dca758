namespace AutoSpec.Cli;

/// <summary>Process exit codes.</summary>
public static class ExitCodes
{
    /// <summary>The run completed.</summary>
    public const int Success = 0;

    /// <summary>An unexpected error (the run folder, if any, is marked failed).</summary>
    public const int Failure = 1;

    /// <summary>Bad input: a file, column, value or option the message names.</summary>
    public const int InvalidInput = 2;

    /// <summary>Interrupted by the user (Ctrl+C).</summary>
    public const int Cancelled = 130;

    /// <summary>Terminated by SIGTERM (e.g. a SLURM time limit); the run folder is marked failed.</summary>
    public const int Terminated = 143;
}
