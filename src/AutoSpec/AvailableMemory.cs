using System.Globalization;

namespace AutoSpec;

/// <summary>
/// How much memory this process may still use: the smaller of the kernel's estimate for new allocations
/// (<c>MemAvailable</c> in /proc/meminfo) and what the .NET heap may still grow by (which honours a container limit
/// or <c>DOTNET_GCHeapHardLimit</c>). Loaders and the model check sizes an input declares against it before they
/// allocate, so that a file or option asking for too much is refused in a second instead of swapping or being
/// killed.
/// </summary>
internal static class AvailableMemory
{
    /// <summary>Bytes that can still be allocated (an estimate).</summary>
    public static long Bytes()
    {
        long heap = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes - GC.GetTotalMemory(forceFullCollection: false);
        return Math.Max(0, Math.Min(heap, MemAvailable() ?? long.MaxValue));
    }

    /// <summary>The kernel's MemAvailable in bytes, or null where /proc/meminfo is missing.</summary>
    public static long? MemAvailable()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                {
                    var kb = line["MemAvailable:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            // Not Linux or no /proc: only the heap's own limit applies.
        }
        return null;
    }

    /// <summary>A byte count for messages: "3.2 GB", "410 MB", "12 KB".</summary>
    public static string Describe(double bytes) => bytes switch
    {
        >= 1e12 => $"{(bytes / 1e12).ToString("0.#", CultureInfo.InvariantCulture)} TB",
        >= 1e9 => $"{(bytes / 1e9).ToString("0.#", CultureInfo.InvariantCulture)} GB",
        >= 1e6 => $"{(bytes / 1e6).ToString("0.#", CultureInfo.InvariantCulture)} MB",
        _ => $"{Math.Ceiling(bytes / 1e3).ToString("0", CultureInfo.InvariantCulture)} KB",
    };
}
