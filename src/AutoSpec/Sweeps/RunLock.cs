namespace AutoSpec.Sweeps;

/// <summary>
/// An exclusive lock on one run of a sweep, held while a process writes it. .NET takes an advisory
/// <c>flock</c> for <see cref="FileShare.None"/> on Unix, which the kernel releases when the process dies, so a
/// killed worker never leaves a stale lock (on NFS, flock is only reliable with a local lock manager).
/// </summary>
public sealed class RunLock : IDisposable
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

    /// <summary>Releases the lock (the lock file stays; it is empty and harmless).</summary>
    public void Dispose() => _stream.Dispose();
}
