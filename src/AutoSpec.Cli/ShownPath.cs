namespace AutoSpec.Cli;

/// <summary>
/// Paths in console output, all in one form: relative to the current folder when inside it (as the user typed them),
/// else absolute; single-quoted when the shell would split them. Every printed path can be pasted from here.
/// </summary>
internal static class ShownPath
{
    /// <summary>The path as printed.</summary>
    public static string Of(string path)
    {
        var full = Path.GetFullPath(path);
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), full);
        bool inside = relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !Path.IsPathRooted(relative);
        return SweepWorkerCommand.Quote(inside ? relative : full);
    }
}
