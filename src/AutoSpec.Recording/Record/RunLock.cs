namespace AutoSpec.Record;

/// <summary>
/// An exclusive lock on one run of a sweep, held while a process writes it. .NET takes an advisory
/// <c>flock</c> for <see cref="FileShare.None"/> on Unix, which the kernel releases when the process dies, so a
/// killed worker never leaves a stale lock (on NFS, flock is only reliable with a local lock manager).
/// </summary>
internal sealed class RunLock : IDisposable
{
    private readonly FileStream _stream;

    private RunLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock, or returns null when another process holds it.</summary>
    public static RunLock? TryAcquire(string path)
    {
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return new RunLock(stream);
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
    }

    /// <summary>Whether the lock file exists and another open file holds its lock (a live writer).</summary>
    public static bool IsHeld(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }
        using var probe = TryAcquire(path);
        return probe is null;
    }

    /// <summary>
    /// Who holds the lock on <paramref name="path"/>, for a message: "process 1234 (dotnet)", or "another process"
    /// when it cannot be told. flock records no owner in the file, so the processes that hold flocks
    /// (<c>/proc/locks</c>) are searched for an open descriptor of the file.
    /// </summary>
    public static string Holder(string path)
    {
        try
        {
            var full = Path.GetFullPath(path);
            foreach (var line in File.ReadLines("/proc/locks"))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 5 || fields[1] != "FLOCK" || !int.TryParse(fields[4], out int pid))
                {
                    continue;
                }
                if (HasOpen(pid, full))
                {
                    var name = File.Exists($"/proc/{pid}/comm") ? File.ReadAllText($"/proc/{pid}/comm").Trim() : "";
                    return name.Length > 0 ? $"process {pid} ({name})" : $"process {pid}";
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // /proc is missing or unreadable (not Linux, or a hardened /proc): the message stays unspecific.
        }
        return "another process";
    }

    private static bool HasOpen(int pid, string file)
    {
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                if (new FileInfo(fd).LinkTarget == file)
                {
                    return true;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another user's process, or one that just exited.
        }
        return false;
    }

    /// <summary>Releases the lock (the lock file stays; it is empty and harmless).</summary>
    public void Dispose() => _stream.Dispose();
}
