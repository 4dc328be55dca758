namespace AutoSpec.Tests.Fuzz;

/// <summary>How a fuzz case ended, worst last in harm order of issue 13.</summary>
public enum FuzzOutcome
{
    /// <summary>The expected exit code; a refusal is one "error:" line naming the file or option.</summary>
    Clean,

    /// <summary>Refused, but the message is not one line or does not name what is wrong.</summary>
    Unclear,

    /// <summary>Exit code 1 with an unexpected exception, a stack trace, a signal death or a breached memory limit.</summary>
    Crash,

    /// <summary>Did not finish within its time limit.</summary>
    Hang,

    /// <summary>Accepted (exit 0) what must be refused, or refused what must run.</summary>
    WrongResult,

    /// <summary>A file the case marked as the user's was changed or removed.</summary>
    DataLost,
}
