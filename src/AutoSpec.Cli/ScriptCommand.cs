namespace AutoSpec.Cli;

/// <summary>
/// The command a generated batch script (<c>sweep slurm</c>) calls. Unlike local sweep workers, which run the exact
/// program that planned the sweep, a script outlives the process that wrote it: a development build's
/// <c>bin/Release/…/AutoSpec.Cli</c> changes or disappears with the next build, so the script calls an installed
/// <c>autospec</c> tool or a published binary whenever there is one.
/// </summary>
internal static class ScriptCommand
{
    /// <summary>Environment variable that names the command explicitly (e.g. a published binary on shared storage).</summary>
    public const string Variable = "AUTOSPEC_COMMAND";

    /// <summary>
    /// The shell words that start the CLI, and a line for the user when the choice deserves one (a warning when the
    /// script has to call this development build).
    /// </summary>
    public static (string Command, string? Note, bool Warning) Resolve() =>
        Choose(Environment.GetEnvironmentVariable(Variable), typeof(Program).Assembly.Location, Environment.ProcessPath,
            Environment.GetEnvironmentVariable("PATH"), SweepWorkerCommand.ShellLine([]));

    /// <summary>
    /// The choice, from its inputs: <paramref name="explicitCommand"/> when set; this process when it is an installed
    /// .NET tool (its shim) or not a development build; else an <c>autospec</c> on <paramref name="searchPath"/>;
    /// else this development build (<paramref name="thisProgram"/>), with a warning.
    /// </summary>
    internal static (string Command, string? Note, bool Warning) Choose(string? explicitCommand, string assemblyPath, string? processPath,
        string? searchPath, string thisProgram)
    {
        if (!string.IsNullOrWhiteSpace(explicitCommand))
        {
            return (explicitCommand.Trim(), null, false);
        }
        if (string.IsNullOrEmpty(assemblyPath))
        {
            // Single-file publish: the process itself is a published binary.
            return (SweepWorkerCommand.Quote(processPath ?? "autospec"), null, false);
        }
        if (ToolShim(assemblyPath) is { } shim)
        {
            return (SweepWorkerCommand.Quote(shim), null, false);
        }
        if (!IsDevelopmentBuild(assemblyPath))
        {
            return (thisProgram, null, false);
        }
        if (OnPath("autospec", searchPath) is { } installed)
        {
            return (SweepWorkerCommand.Quote(installed),
                $"the script calls the installed tool {installed}, not this development build (set {Variable} to choose another command).", false);
        }
        return (thisProgram,
            $"the script calls this development build ({thisProgram}), which the next build replaces; install the tool " +
            $"(scripts/install-tool.sh) or set {Variable} to a published binary, then write the script again.", true);
    }

    /// <summary>
    /// The <c>autospec</c> shim of a .NET tool installation when the assembly lives in one
    /// (TOOLPATH/.store/autospec.cli/VERSION/autospec.cli/VERSION/tools/TFM/any/AutoSpec.Cli.dll → TOOLPATH/autospec).
    /// </summary>
    private static string? ToolShim(string assemblyPath)
    {
        var full = Path.GetFullPath(assemblyPath);
        var marker = Path.DirectorySeparatorChar + ".store" + Path.DirectorySeparatorChar;
        int at = full.LastIndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }
        var shim = Path.Combine(full[..at], OperatingSystem.IsWindows() ? "autospec.exe" : "autospec");
        return File.Exists(shim) ? shim : null;
    }

    /// <summary>True for a build output of a source tree: …/bin/CONFIGURATION/TFM/ (not its publish folder).</summary>
    private static bool IsDevelopmentBuild(string assemblyPath)
    {
        var parts = Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!
            .Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        // A RID folder may follow the TFM (bin/Release/net10.0/linux-x64).
        return parts.Length >= 3 && (parts[^3] == "bin" || (parts.Length >= 4 && parts[^4] == "bin" && parts[^2].StartsWith("net", StringComparison.Ordinal)))
            && parts[^1] != "publish";
    }

    private static string? OnPath(string name, string? searchPath)
    {
        foreach (var directory in (searchPath ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows()
                || (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0))
            {
                return Path.GetFullPath(candidate);
            }
        }
        return null;
    }
}
