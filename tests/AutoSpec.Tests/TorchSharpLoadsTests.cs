using System.Diagnostics;
using static TorchSharp.torch;

namespace AutoSpec.Tests;

public class TorchSharpLoadsTests
{
    [Fact]
    public void MatrixProductAndSvdRun()
    {
        using var a = tensor(new double[] { 3, 0, 0, 4 }, 2, 2);
        using var s = linalg.svdvals(a);
        Assert.Equal(new double[] { 4, 3 }, s.data<double>().ToArray());
        using var p = a.mm(a);
        Assert.Equal(new double[] { 9, 0, 0, 16 }, p.data<double>().ToArray());
    }

    [Fact]
    public void BuildOutputCopyIsPatchedAndNuGetCacheCopyIsNot()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // the patch only exists for Linux builds
        }
        var output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(output), output);
        Assert.Contains("Name: GLIBCXX_3.4.32  Flags: WEAK", ReadElfVersions(output));

        var home = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var cached = Path.Combine(home, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (File.Exists(cached))
        {
            Assert.Contains("Name: GLIBCXX_3.4.32  Flags: none", ReadElfVersions(cached));
        }
    }

    private static string ReadElfVersions(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("readelf", ["-V", path]) { RedirectStandardOutput = true })!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return text;
    }
}
