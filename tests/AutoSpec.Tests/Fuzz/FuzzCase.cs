namespace AutoSpec.Tests.Fuzz;

/// <summary>
/// One generated input or fault: <see cref="Setup"/> writes its files into a fresh folder and returns the CLI
/// arguments; the case expects <see cref="ExpectedExit"/> and, for a refusal, every <see cref="Mentions"/> in the
/// error line. Files listed by <see cref="Precious"/> (relative to the folder) are the user's and must survive.
/// </summary>
public sealed record FuzzCase(string Name, Func<string, string[]> Setup, int ExpectedExit = 2, string[]? Mentions = null)
{
    /// <summary>
    /// For random mutations that may or may not leave a valid file: accepting (0) and refusing (2) are both fine;
    /// crashes, hangs and unclear messages are not.
    /// </summary>
    public const int EitherWay = -1;

    /// <summary>The user's files (relative paths) whose content must be unchanged afterwards.</summary>
    public string[] Precious { get; init; } = [];

    /// <summary>Run as a child process under a memory limit (memory bombs, signals), not in this process.</summary>
    public bool Isolated { get; init; }

    /// <summary>Most resident memory (bytes) an isolated case may take before it is killed and counted a crash.</summary>
    public long MemoryLimit { get; init; } = 1L << 30;

    /// <summary>Time limit before the case counts as a hang.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>An isolated case is sent SIGTERM once this file (relative to the folder) exists.</summary>
    public string? TerminateWhenExists { get; init; }
}
