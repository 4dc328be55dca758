using System.Diagnostics;
using System.Text;
using AutoSpec.Benchmarks;
using AutoSpec.Benchmarks.Harness;
using AutoSpec.Benchmarks.Report;
using TorchSharp;

// What introspection costs against plain training, route speed and memory over long runs; docs/PERFORMANCE.md
// gives the command that reproduces every number there.
//   dotnet run --project benchmarks/AutoSpec.Benchmarks -c Release -- [overhead|workers|routes|precision|memory|layers|all|stress|flush] [--option value …]
BenchmarkSettings settings;
try
{
    settings = BenchmarkSettings.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
if (settings.Threads > 0)
{
    torch.set_num_threads(settings.Threads);
}
var report = new StringBuilder();
report.AppendLine("# AutoSpec benchmark report").AppendLine();
report.AppendLine($"Command: `autospec-benchmarks {string.Join(' ', args)}`").AppendLine();
report.AppendLine(MachineInfo.Describe());
var clock = Stopwatch.StartNew();
var log = Console.Error;
Directory.CreateDirectory(settings.WorkDirectory);
try
{
    if (settings.Command is "overhead" or "all")
    {
        report.AppendLine("## Training step: introspected / plain").AppendLine();
        report.AppendLine(OverheadBenchmark.Run(settings, log));
    }
    if (settings.Command is "workers" or "all")
    {
        report.AppendLine("## Spectra on several worker threads").AppendLine();
        report.AppendLine(WorkerScaling.Run(settings, log));
    }
    if (settings.Command is "routes" or "all")
    {
        report.AppendLine("## Spectrum routes alone").AppendLine();
        report.AppendLine(RouteBenchmark.Run(settings, log));
    }
    if (settings.Command is "precision" or "all")
    {
        report.AppendLine("## Spectra in float32 against float64 (--precision single)").AppendLine();
        report.AppendLine(PrecisionBenchmark.Run(settings, log));
    }
    if (settings.Command is "layers" or "all")
    {
        report.AppendLine("## Our layers against TorchSharp's native ones (forward + backward)").AppendLine();
        report.AppendLine(LayerBenchmark.Run(settings, log));
    }
    if (settings.Command is "stress")
    {
        report.AppendLine("## Stress: short trainings of every zoo model in one process").AppendLine();
        report.AppendLine(StressTest.Run(settings, log));
    }
    if (settings.Command is "flush")
    {
        report.AppendLine("## Parquet flushes of the MLP benchmark's rows").AppendLine();
        report.AppendLine(FlushBenchmark.Run(settings, log));
    }
    if (settings.Command is "memory" or "all")
    {
        report.AppendLine("## Memory of an introspected run").AppendLine();
        report.AppendLine(MemoryBenchmark.Run(settings, log));
    }
}
finally
{
    Directory.Delete(settings.WorkDirectory, recursive: true);
}
report.AppendLine($"Total benchmark time: {clock.Elapsed.TotalMinutes:F1} min.");
Console.WriteLine(report);
if (settings.Out is not null)
{
    File.WriteAllText(settings.Out, report.ToString());
}
return 0;
