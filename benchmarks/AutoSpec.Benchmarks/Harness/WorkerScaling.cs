using System.Diagnostics;
using System.Globalization;
using System.Text;
using AutoSpec.Benchmarks.Models;
using AutoSpec.Benchmarks.Report;
using AutoSpec.Capture;
using AutoSpec.Introspection;
using AutoSpec.Partition;
using AutoSpec.Spectra;
using static TorchSharp.torch;

namespace AutoSpec.Benchmarks.Harness;

/// <summary>
/// How the spectra's throughput grows with worker threads, without training beside them: the spectra of G, A and Δ
/// of every layer of a model's first step, computed for several steps' worth of units (one layer, or layers sharing
/// Δ, at one step each, as the product queues them) on 1, 2, … worker threads (one torch thread each), interleaved per repetition.
/// It measures the parallel efficiency the cores projection of the overhead report assumes to be 1.
/// </summary>
internal static class WorkerScaling
{
    public static string Run(BenchmarkSettings s, TextWriter log)
    {
        var table = new MarkdownTable("model", "spectra workers", "spectra wall ms/step median (min–max)", "CPU ms/step median",
            "speed-up over 1 worker", "efficiency (speed-up ÷ workers)", "reps × steps");
        var counts = s.ScalingWorkers.Count > 0 ? s.ScalingWorkers : [.. Enumerable.Range(1, Environment.ProcessorCount)];
        foreach (var name in s.Models)
        {
            using var spec = BenchmarkModels.Create(name, s.StepsPerEpoch);
            if (spec.Pending is not null)
            {
                continue;
            }
            log.WriteLine($"[workers] {spec.Description}");
            var (factors, sampleGroup) = CaptureFirstStep(spec, seed: 7);
            try
            {
                var calculator = new GroupSpectraCalculator(SpectrumRoute.Auto, SpectrumQuantities.Grad | SpectrumQuantities.Act | SpectrumQuantities.Delta);
                // As the product queues them: layers that share Δ (an LSTM's ih and hh) are one unit.
                var layers = factors.Where(f => f.LayerKind != "gate").ToList();
                var unitsOfStep = SharedAdjointUnits.Of(layers)
                    .Select(u => u.Select(i => (layers[i], RowPartition.Create(layers[i].RowSample, sampleGroup, spec.GroupNames))).ToList())
                    .ToList();
                var wall = counts.ToDictionary(c => c, _ => new List<double>());
                var cpu = counts.ToDictionary(c => c, _ => new List<double>());
                using var process = Process.GetCurrentProcess();
                for (int rep = -s.Warmup; rep < s.Reps; rep++)
                {
                    for (int k = 0; k < counts.Count; k++)
                    {
                        int c = counts[(k + Math.Max(rep, 0)) % counts.Count];
                        using var pool = new SpectraWorkerPool(c, torchThreads: 1);
                        process.Refresh();
                        var cpuStart = process.TotalProcessorTime;
                        long start = Stopwatch.GetTimestamp();
                        var units = Enumerable.Range(0, s.StepsPerEpoch)
                            .SelectMany(_ => unitsOfStep.Select(u => pool.Run(() => calculator.ComputeShared(u).Length)))
                            .ToArray();
                        Task.WaitAll(units);
                        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds / s.StepsPerEpoch;
                        process.Refresh();
                        if (rep >= 0)
                        {
                            wall[c].Add(ms);
                            cpu[c].Add((process.TotalProcessorTime - cpuStart).TotalMilliseconds / s.StepsPerEpoch);
                        }
                    }
                    if (rep >= 0)
                    {
                        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"  rep {rep + 1}/{s.Reps}: {string.Join(", ", counts.Select(c => $"{c} worker(s) {wall[c][^1]:F2} ms/step"))}"));
                    }
                }
                double one = Summary.Of(wall[counts[0]]).Median;
                foreach (int c in counts)
                {
                    var w = Summary.Of(wall[c]);
                    double speedUp = one / w.Median * counts[0];
                    table.Add(spec.Description, c.ToString(CultureInfo.InvariantCulture), w.Format("F2"),
                        Summary.Of(cpu[c]).Median.ToString("F2", CultureInfo.InvariantCulture),
                        speedUp.ToString("F2", CultureInfo.InvariantCulture), (speedUp / c).ToString("F2", CultureInfo.InvariantCulture),
                        $"{w.Count} × {s.StepsPerEpoch}");
                }
            }
            finally
            {
                factors.ForEach(f => f.Dispose());
            }
        }
        var sb = new StringBuilder();
        sb.AppendLine($"Units: one layer's (or one LSTM ih/hh pair's) spectra of G, A and Δ at one step (auto route, float64), {s.StepsPerEpoch} steps' worth per " +
            $"repetition, queued at once; every worker on one torch thread; nothing else running in the process; {Environment.ProcessorCount} cores. " +
            "Speed-up is against the first worker count (1 unless --scaling-workers says otherwise).").AppendLine();
        sb.AppendLine(table.ToString());
        return sb.ToString();
    }

    /// <summary>The factors of every watched layer at the model's first batch, and the batch's groups.</summary>
    internal static (List<LayerFactors> Factors, int[] SampleGroup) CaptureFirstStep(IBenchmarkModel spec, int seed)
    {
        random.manual_seed(seed);
        using var model = spec.CreateModel();
        model.train();
        using var capture = ModelCapture.Attach(model);
        capture.Enabled = true;
        var batch = spec.Batch(0);
        using var scope = NewDisposeScope();
        nn.functional.cross_entropy(model.call(batch.Inputs), batch.Labels).backward();
        var factors = capture.TakeFactors(batch.SampleGroup.Length);
        capture.Clear();
        return (factors, batch.SampleGroup);
    }
}
