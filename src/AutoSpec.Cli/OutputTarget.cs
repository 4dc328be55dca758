namespace AutoSpec.Cli;

/// <summary>
/// Where analyze and report may write: they replace their own earlier output, never a user's files. Checked before
/// the analysis starts, so a refusal costs nothing and leaves nothing half-written.
/// </summary>
internal static class OutputTarget
{
    private const string ReportMarker = "<title>AutoSpec report</title>";

    /// <summary>A folder for result tables: new, empty, or one holding an earlier analysis (its analysis.json).</summary>
    public static string TableFolder(string option, string requested)
    {
        var dir = Full(option, requested);
        if (File.Exists(dir))
        {
            throw new InvalidInputException($"{option}: '{dir}' is a file, not a folder.");
        }
        if (File.Exists(Path.Combine(dir, "manifest.json")))
        {
            throw new InvalidInputException($"{option}: '{dir}' is a run folder; write the result tables into a folder of their own.");
        }
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any() && !File.Exists(Path.Combine(dir, "analysis.json")))
        {
            throw new InvalidInputException(
                $"{option}: folder '{dir}' holds other files and no analysis.json; the tables go into a new or empty folder, or replace an earlier analysis.");
        }
        return dir;
    }

    /// <summary>An HTML report file: new, or an earlier AutoSpec report (recognised by its title).</summary>
    public static string ReportFile(string option, string requested)
    {
        var path = Full(option, requested);
        if (Directory.Exists(path))
        {
            throw new InvalidInputException($"{option}: '{path}' is a folder; give the report's file name (e.g. report.html).");
        }
        if (File.Exists(path) && !IsReport(path))
        {
            throw new InvalidInputException($"{option}: '{path}' exists and is not an AutoSpec report; choose another name or remove it first.");
        }
        return path;
    }

    private static bool IsReport(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            var head = new char[4096];
            int n = reader.ReadBlock(head, 0, head.Length);
            return new string(head, 0, n).Contains(ReportMarker, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string Full(string option, string requested)
    {
        if (string.IsNullOrWhiteSpace(requested))
        {
            throw new InvalidInputException($"{option}: the name is empty.");
        }
        try
        {
            return Path.GetFullPath(requested);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new InvalidInputException($"{option}: '{requested}' is not a usable path.");
        }
    }
}
