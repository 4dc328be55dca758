

namespace AutoSpec.Record;

/// <summary>Creates the folder of a run, refusing to mix a new run into an existing one.</summary>
internal static class RunFolder
{
    /// <summary>
    /// Creates (or, with <paramref name="overwrite"/>, clears) the run folder, takes its lock and returns its full path
    /// with the lock held. A non-empty folder is refused unless it holds only the leftovers of a run that never
    /// wrote its manifest (run.lock, .tmp files), or overwrite is set and its manifest.json is an AutoSpec run
    /// manifest. Overwriting deletes only the files a run writes (<see cref="RunFiles"/>); a folder whose lock another
    /// process holds is refused, naming it.
    /// </summary>
    public static (string Directory, RunLock Lock) Prepare(string? requested, bool overwrite)
    {
        if (requested is not null && string.IsNullOrWhiteSpace(requested))
        {
            throw new InvalidInputException("--out: the folder name is empty.");
        }
        string path;
        try
        {
            path = Path.GetFullPath(requested ?? Path.Combine("runs", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss")));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new InvalidInputException($"--out: '{requested}' is not a usable folder name.");
        }
        if (File.Exists(path))
        {
            throw new InvalidInputException($"--out: '{path}' is a file, not a folder.");
        }
        var lockPath = Path.Combine(path, RunFiles.Lock);
        if (RunLock.IsHeld(lockPath))
        {
            throw new InvalidInputException(
                $"--out: the run in '{path}' is being written by {RunLock.Holder(lockPath)} ({RunFiles.Lock} is held); wait for it or stop it first.");
        }
        if (Directory.Exists(path))
        {
            RunFiles.FinishCompleted(path);
        }
        if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
        {
            bool ours = RunFiles.HasRunManifest(path);
            var foreign = RunFiles.Foreign(path);
            // A run killed before its manifest was written (e.g. disk full) leaves only its lock and .tmp files:
            // nothing worth keeping, so it is started again rather than refused both with and without --overwrite.
            bool leftoversOnly = foreign.Count == 0 && Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(path, f))
                .All(f => f == RunFiles.Lock || f.EndsWith(".tmp", StringComparison.Ordinal));
            if (!leftoversOnly)
            {
                if (!overwrite)
                {
                    throw new InvalidInputException($"--out: folder '{path}' exists and is not empty; choose another or pass --overwrite.");
                }
                if (!ours)
                {
                    throw new InvalidInputException(File.Exists(Path.Combine(path, RunFiles.Manifest))
                        ? $"--out: folder '{path}' holds a manifest.json that is not an AutoSpec run manifest; --overwrite only replaces earlier run folders."
                        : $"--out: folder '{path}' is not empty and holds no manifest.json; --overwrite only replaces earlier run folders.");
                }
            }
        }
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"--out: cannot create folder '{path}': {e.Message}");
        }
        // The lock is taken before anything is deleted, so two processes cannot clear and write one folder together.
        var runLock = RunLock.TryAcquire(lockPath)
            ?? throw new InvalidInputException(
                $"--out: the run in '{path}' is being written by {RunLock.Holder(lockPath)} ({RunFiles.Lock} is held); wait for it or stop it first.");
        try
        {
            RunFiles.DeleteRunFiles(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            runLock.Dispose();
            throw new InvalidInputException($"--out: cannot clear the earlier run in '{path}': {e.Message}");
        }
        return (path, runLock);
    }
}
