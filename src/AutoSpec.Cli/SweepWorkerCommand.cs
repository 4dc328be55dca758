namespace AutoSpec.Cli;

/// <summary>
/// How to start this same program again: the apphost beside the CLI assembly, or <c>dotnet AutoSpec.Cli.dll</c>.
/// Workers and SLURM tasks run the exact build that planned the sweep.
/// </summary>
internal static class SweepWorkerCommand
{
    /// <summary>The executable and the arguments that come before the command's own.</summary>
    public static (string File, IReadOnlyList<string> Prefix) Resolve()
    {
        var assembly = typeof(Program).Assembly.Location;
        if (string.IsNullOrEmpty(assembly))
        {
            // Single-file publish: the process itself is the CLI.
            return (Environment.ProcessPath ?? "autospec", []);
        }
        var apphost = Path.Combine(Path.GetDirectoryName(assembly)!, OperatingSystem.IsWindows() ? "AutoSpec.Cli.exe" : "AutoSpec.Cli");
        if (File.Exists(apphost))
        {
            return (apphost, []);
        }
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH")
            ?? (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet");
        return (dotnet, [assembly]);
    }

    /// <summary>The command as one shell line (for scripts).</summary>
    public static string ShellLine(IEnumerable<string> arguments)
    {
        var (file, prefix) = Resolve();
        return string.Join(' ', new[] { file }.Concat(prefix).Concat(arguments).Select(Quote));
    }

    /// <summary>Single-quotes a word for POSIX shells unless it is plainly safe.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "/._-=:+,%".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''") + "'";
}
