using System.Globalization;
using System.Runtime.InteropServices;

namespace AutoSpec.Benchmarks.Report;

/// <summary>
/// Memory of this process: resident set (VmRSS), native heap in use (glibc's mallinfo2: what libtorch's CPU
/// tensors and every other malloc hold) and the managed heap.
/// </summary>
internal static partial class ProcessMemory
{
    public sealed record Sample(double ResidentMiB, double NativeInUseMiB, double ManagedHeapMiB);

    public static Sample Measure()
    {
        double rss = ResidentMiB();
        double native = NativeInUseMiB();
        double managed = GC.GetTotalMemory(forceFullCollection: false) / 1048576.0;
        return new Sample(rss, native, managed);
    }

    private static double ResidentMiB()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return double.Parse(kb, CultureInfo.InvariantCulture) / 1024.0;
            }
        }
        return double.NaN;
    }

    private static double NativeInUseMiB()
    {
        try
        {
            var m = MallInfo2();
            // uordblks: bytes in use from the main arenas; hblkhd: bytes in mmap'ed blocks (large tensors).
            return (m.Uordblks + m.Hblkhd) / 1048576.0;
        }
        catch (EntryPointNotFoundException)
        {
            return double.NaN;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2Struct
    {
        public nuint Arena;
        public nuint Ordblks;
        public nuint Smblks;
        public nuint Hblks;
        public nuint Hblkhd;
        public nuint Usmblks;
        public nuint Fsmblks;
        public nuint Uordblks;
        public nuint Fordblks;
        public nuint Keepcost;
    }

    [LibraryImport("libc", EntryPoint = "mallinfo2")]
    private static partial MallInfo2Struct MallInfo2();
}
