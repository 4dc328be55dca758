using System.Globalization;
using AutoSpec.Benchmarks.Models;
using AutoSpec.Benchmarks.Report;
using AutoSpec.Introspection;
using AutoSpec.Spectra;

namespace AutoSpec.Benchmarks.Harness;

/// <summary>
/// Memory of one introspected MLP run (1378→128→64→2, every step, all quantities,
/// Parquet recording with a flush per epoch) at steps 0, 1k, …, 10k: does anything grow with the number of steps?
/// </summary>
internal static class MemoryBenchmark
{
    public static string Run(BenchmarkSettings s, TextWriter log)
    {
        // The smaller MLP keeps 10k introspected steps within minutes on a busy 2-core machine; it has the same
        // layers, routes, groups and recording as the full one, only narrower.
        using var spec = new MlpBenchmark(s.StepsPerEpoch, hidden: [128, 64]);
        string dir = Path.Combine(s.WorkDirectory, $"memory-{Environment.ProcessId}");
        var options = new IntrospectionOptions
        {
            Permutations = 0,
            Every = 1,
            Quantities = SpectrumQuantities.All,
            Route = s.Route,
            // The first mode asked for (default: in the training thread); `--background on` measures the queue's memory.
            Background = s.Background[0],
        };
        using var session = new TrainingSession(spec, "memory", options, dir, seed: 7);
        var checkpoints = new SortedSet<long> { 0, 1000, s.MemorySteps };
        for (long c = 2000; c < s.MemorySteps; c += 2000)
        {
            checkpoints.Add(c);
        }
        var table = new MarkdownTable("step", "resident MiB", "native heap in use MiB", "managed heap MiB", "Parquet rows flushed");
        var samples = new Dictionary<long, ProcessMemory.Sample>();
        foreach (long checkpoint in checkpoints)
        {
            // Train whole epochs up to the checkpoint (step 0 = after the first epoch's flush).
            while (session.Steps < Math.Max(checkpoint, 1))
            {
                session.RunEpoch();
            }
            var m = ProcessMemory.Measure();
            samples[checkpoint] = m;
            table.Add(session.Steps.ToString(CultureInfo.InvariantCulture), m.ResidentMiB.ToString("F1", CultureInfo.InvariantCulture),
                m.NativeInUseMiB.ToString("F1", CultureInfo.InvariantCulture), m.ManagedHeapMiB.ToString("F1", CultureInfo.InvariantCulture),
                session.FlushedRows.ToString(CultureInfo.InvariantCulture));
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[memory] step {session.Steps}: RSS {m.ResidentMiB:F1} MiB, native {m.NativeInUseMiB:F1} MiB, managed {m.ManagedHeapMiB:F1} MiB"));
        }
        session.Complete();
        var first = samples[1000];
        var last = samples[s.MemorySteps];
        return $"{spec.Description}, introspection at every step " +
            (session.Background ? "on a background thread" : "in the training thread") + $", {s.StepsPerEpoch} steps per epoch " +
            $"(\"step 0\" is measured after the first epoch).\n\n{table}\n" +
            string.Create(CultureInfo.InvariantCulture,
                $"Resident memory at step {s.MemorySteps} / at step 1000: {last.ResidentMiB / first.ResidentMiB:F3}; " +
                $"native heap: {last.NativeInUseMiB / first.NativeInUseMiB:F3}.\n");
    }
}
