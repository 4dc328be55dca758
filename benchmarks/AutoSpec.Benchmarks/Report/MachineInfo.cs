using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using TorchSharp;

namespace AutoSpec.Benchmarks.Report;

/// <summary>What the numbers were measured on: CPU (lscpu), cores, torch threads, versions.</summary>
internal static class MachineInfo
{
    public static string Describe()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"- CPU: {Lscpu("Model name")} ({Lscpu("Vendor ID")}), {Environment.ProcessorCount} logical cores visible, " +
            $"{Lscpu("Thread(s) per core")} thread(s) per core, L2 {Lscpu("L2 cache")}, L3 {Lscpu("L3 cache")}");
        sb.AppendLine($"- torch threads: {torch.get_num_threads()} (intra-op), libtorch {torch.__version__}, TorchSharp {typeof(torch).Assembly.GetName().Version}");
        sb.AppendLine($"- .NET {Environment.Version}, {RuntimeInformation.OSDescription}, memory {TotalMemoryGiB():F1} GiB");
        sb.AppendLine($"- started {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; the machine is shared, so only ratios measured side by side are meaningful");
        return sb.ToString();
    }

    private static string Lscpu(string field)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("lscpu") { RedirectStandardOutput = true, UseShellExecute = false });
            if (p is null)
            {
                return "?";
            }
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            return line is null ? "?" : line[(field.Length + 1)..].Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }

    private static double TotalMemoryGiB() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
}
