namespace AutoSpec.Record;

/// <summary>Creates the folder of a run, refusing to mix a new run into an existing one.</summary>
public static class RunFolder
{
    /// <summary>
    /// Creates (or, with <paramref name="overwrite"/>, empties) the run folder and returns its full path.
    /// A non-empty folder is refused unless overwrite is set and it holds an earlier run (a manifest.json):
    /// other folders are never emptied.
    /// </summary>
    public static string Prepare(string? requested, bool overwrite)
    {
        var path = Path.GetFullPath(requested ?? Path.Combine("runs", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss")));
        if (File.Exists(path))
        {
            throw new InvalidInputException($"--out: '{path}' is a file, not a folder.");
        }
        if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
        {
            if (!overwrite)
            {
                throw new InvalidInputException($"--out: folder '{path}' exists and is not empty; choose another or pass --overwrite.");
            }
            if (!File.Exists(Path.Combine(path, "manifest.json")))
            {
                throw new InvalidInputException(
                    $"--out: folder '{path}' is not empty and holds no manifest.json; --overwrite only replaces earlier run folders.");
            }
            Directory.Delete(path, recursive: true);
        }
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"--out: cannot create folder '{path}': {e.Message}");
        }
        return path;
    }
}
