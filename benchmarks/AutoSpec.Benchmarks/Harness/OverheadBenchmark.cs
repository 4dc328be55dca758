using System.Diagnostics;
using System.Globalization;
using System.Text;
using AutoSpec.Benchmarks.Models;
using AutoSpec.Benchmarks.Report;
using AutoSpec.Introspection;
using AutoSpec.Spectra;

namespace AutoSpec.Benchmarks.Harness;

/// <summary>
/// Per-step training time with introspection against the same model, initialisation and batches without it,
/// measured side by side: repetitions of one epoch per session, interleaved and rotated (plain, introspected;
/// introspected, plain; …) so that load from other users of the machine hits every session alike. A ratio is taken
/// per repetition, then summarised.
/// </summary>
internal static class OverheadBenchmark
{
    public static string Run(BenchmarkSettings s, TextWriter log)
    {
        var sb = new StringBuilder();
        var table = new MarkdownTable("model", "introspection", "plain ms/step", "introspected ms/step",
            "wall-clock ratio median (min–max)", "CPU-time ratio median (min–max)",
            "introspection CPU ms/step median (min–max)", "floor f64 ms/step", "introspection CPU ÷ floor", "reps × steps");
        var floors = new StringBuilder();
        var breakdowns = new StringBuilder();
        foreach (var name in s.Models)
        {
            using var spec = BenchmarkModels.Create(name, s.StepsPerEpoch);
            log.WriteLine($"[overhead] {spec.Description}");
            if (spec is ZooBenchmark { Choice: { } choice })
            {
                sb.AppendLine($"- {name}: plain training on libtorch's convolution; introspected on {choice.Used} ({choice.Reason}).");
            }
            var sessions = new List<TrainingSession> { new(spec, "plain", null, null, seed: 7) };
            if (spec.Pending is null)
            {
                foreach (int every in s.Every)
                {
                    foreach (var mode in s.Background)
                    {
                        foreach (int workers in s.SpectraWorkers)
                        {
                            var options = new IntrospectionOptions
                            {
                                // The numbers of this benchmark are the spectra's cost; the online permutation test has its own (docs/PERFORMANCE.md).
                                Permutations = 0,
                                Every = every,
                                Quantities = SpectrumQuantities.All,
                                Route = s.Route,
                                Background = mode,
                                SpectraWorkers = workers,
                            };
                            string dir = Path.Combine(s.WorkDirectory, $"{name}-every{every}-{mode}-w{workers}-{Environment.ProcessId}");
                            if (Directory.Exists(dir))
                            {
                                Directory.Delete(dir, true);
                            }
                            string label = (every == 1 ? "step" : $"{every} steps") + (mode == BackgroundMode.Off ? ", in the training thread" : ", background thread");
                            var session = new TrainingSession(spec, label, options, dir, seed: 7);
                            if (s.SpectraWorkers.Count > 1 || workers > 0)
                            {
                                session.Label += $", {session.SpectraWorkers} spectra worker{(session.SpectraWorkers == 1 ? "" : "s")}"
                                    + (session.TrainingThreadHelps ? " + training thread while it waits" : "");
                            }
                            sessions.Add(session);
                        }
                    }
                }
                if (s.CompareSmallProblemThreads)
                {
                    // Same as "every 1" but the small eigen/SVD problems run on all torch threads.
                    var options = new IntrospectionOptions { Permutations = 0, Every = 1, Quantities = SpectrumQuantities.All, Route = s.Route };
                    string dir = Path.Combine(s.WorkDirectory, $"{name}-every1-allthreads-{Environment.ProcessId}");
                    sessions.Add(new TrainingSession(spec, "1 step (small problems on all threads)", options, dir, seed: 7, smallProblemThreads: 0));
                }
            }
            double floor = double.NaN;
            if (spec.Pending is null)
            {
                var f64 = SpectraFloor.Measure(spec, TorchSharp.torch.ScalarType.Float64, s.FloorReps, seed: 7);
                var f32 = SpectraFloor.Measure(spec, TorchSharp.torch.ScalarType.Float32, s.FloorReps, seed: 7);
                floor = f64.Sum(l => l.Milliseconds);
                floors.AppendLine(SpectraFloor.Describe(spec, f64, f32));
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[overhead] floor of exact spectra: {floor:F3} ms/step (f64), {f32.Sum(l => l.Milliseconds):F3} (f32)"));
            }
            try
            {
                var perStep = Measure(sessions, spec, spec.Pending is null ? s.Reps : Math.Max(3, s.Reps / 4), s.Warmup, log);
                var plain = Summary.Of(perStep[0].Wall);
                if (spec.Pending is not null)
                {
                    table.Add(spec.Description, spec.Pending, plain.Format("F2"), "—", "—", "—", "—", "—", "—",
                        $"{perStep[0].Wall.Count} × {spec.StepsPerEpoch}");
                    continue;
                }
                for (int i = 1; i < sessions.Count; i++)
                {
                    var wall = perStep[i].Wall.Zip(perStep[0].Wall, (a, b) => a / b).ToList();
                    var cpu = perStep[i].Cpu.Zip(perStep[0].Cpu, (a, b) => a / b).ToList();
                    // The introspection's own CPU per step: each repetition's introspected minus plain CPU time.
                    var extra = Summary.Of(perStep[i].Cpu.Zip(perStep[0].Cpu, (a, b) => a - b));
                    table.Add(spec.Description, $"all layers, every {sessions[i].Label}", plain.Format("F2"),
                        Summary.Of(perStep[i].Wall).Format("F2"), Summary.Of(wall).Format("F3"), Summary.Of(cpu).Format("F3"),
                        extra.Format("F2"), floor.ToString("F3", CultureInfo.InvariantCulture),
                        (extra.Median / floor).ToString("F2", CultureInfo.InvariantCulture) + "×",
                        $"{wall.Count} × {spec.StepsPerEpoch}");
                }
                for (int i = 1; i < sessions.Count; i++)
                {
                    if (sessions[i].Introspected && sessions[i].Label.StartsWith("step", StringComparison.Ordinal))
                    {
                        breakdowns.AppendLine(Breakdown(spec, sessions[i], plain.Median, Summary.Of(perStep[i].Wall).Median));
                        if (sessions[i].Background)
                        {
                            breakdowns.AppendLine(Projection(spec, sessions[i], plain.Median, Summary.Of(perStep[i].Wall).Median,
                                Summary.Of(perStep[i].Wall.Zip(perStep[0].Wall, (a, b) => a / b)).Median, s.ProjectCores));
                        }
                    }
                }
            }
            finally
            {
                foreach (var session in sessions)
                {
                    session.Complete();
                    session.Dispose();
                }
            }
        }
        sb.AppendLine($"Torch intra-op threads: {TorchSharp.torch.get_num_threads()} (both arms; the background thread, when on, " +
            $"takes the cores left, at least one, of {Environment.ProcessorCount}). Ratios are against plain training on " +
            "the same torch threads. (What plain training gains from the cores a background thread takes is measured in a separate process, " +
            "e.g. --threads 2 --background off: a session on more threads in the same process slowed the one-thread sessions measured after it.)").AppendLine();
        sb.AppendLine(table.ToString());
        sb.AppendLine("The floor is the matrix products and eigen/SVD calls alone that exact spectra of G, A and Δ of every group " +
            "and layer need at one step's shapes (the cheaper of the Gram-block and the column formulation per group and " +
            "quantity, σ(W) amortised), each call's fastest repetition in this process (Harness/SpectraFloor.cs). A ratio is " +
            "the introspection's CPU per step (only meaningful for every step) over that floor; its CPU includes the " +
            "recording and flushes, which the floor does not.").AppendLine();
        sb.AppendLine(floors.ToString());
        sb.AppendLine(breakdowns.ToString());
        return sb.ToString();
    }

    /// <summary>Wall-clock and CPU milliseconds per step of one session, one value per repetition.</summary>
    private sealed record StepTimes(List<double> Wall, List<double> Cpu);

    /// <summary>
    /// Milliseconds per step of every session, one value per repetition (one epoch each). CPU time (all threads of
    /// the process) is measured beside wall-clock time: time spent waiting for a core that another user holds is
    /// not in it, so it is the steadier of the two on a busy machine.
    /// </summary>
    private static List<StepTimes> Measure(List<TrainingSession> sessions, IBenchmarkModel spec, int reps, int warmup, TextWriter log)
    {
        for (int w = 0; w < warmup; w++)
        {
            foreach (var session in sessions)
            {
                session.RunEpoch();
            }
        }
        foreach (var session in sessions)
        {
            session.Timings?.Reset();
            session.ResetMeasurement();
        }
        var result = sessions.Select(_ => new StepTimes([], [])).ToList();
        using var process = Process.GetCurrentProcess();
        for (int rep = 0; rep < reps; rep++)
        {
            for (int k = 0; k < sessions.Count; k++)
            {
                int i = (k + rep) % sessions.Count;
                process.Refresh();
                var cpuStart = process.TotalProcessorTime;
                long start = Stopwatch.GetTimestamp();
                sessions[i].RunEpoch();
                result[i].Wall.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds / spec.StepsPerEpoch);
                process.Refresh();
                result[i].Cpu.Add((process.TotalProcessorTime - cpuStart).TotalMilliseconds / spec.StepsPerEpoch);
            }
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  rep {rep + 1}/{reps}: {string.Join(", ", sessions.Select((s, i) => $"{s.Label} {result[i].Wall[^1]:F2} ms ({result[i].Cpu[^1]:F2} CPU ms)/step"))}"));
        }
        return result;
    }

    /// <summary>Where the extra time of the every-step session goes, per step.</summary>
    private static string Breakdown(IBenchmarkModel spec, TrainingSession session, double plainMs, double introspectedMs)
    {
        var t = session.Timings!;
        double steps = session.MeasuredSteps;
        var table = new MarkdownTable("phase", "ms/step", "share of the extra time");
        double extra = introspectedMs - plainMs;
        double accounted = 0;
        foreach (var phase in Enum.GetValues<IntrospectionPhase>())
        {
            double ms = t[phase].TotalMilliseconds / steps;
            // With a background thread only the capture and the waits are the training thread's time.
            bool own = !session.Background || phase is IntrospectionPhase.Capture or IntrospectionPhase.Waiting;
            accounted += own ? ms : 0;
            table.Add(Describe(phase, session.Background), ms.ToString("F3", CultureInfo.InvariantCulture), own ? Share(ms, extra) : "(overlapped)");
        }
        double rest = extra - accounted;
        table.Add("rest (hooks in forward, retained Δ in backward, GC, contention, noise)", rest.ToString("F3", CultureInfo.InvariantCulture), Share(rest, extra));
        return $"Breakdown for {spec.Description}, introspection at every step, {session.Label} (medians: plain {plainMs:F2} ms, " +
            $"introspected {introspectedMs:F2} ms, extra {extra:F2} ms per step):\n\n{table}";
    }

    /// <summary>
    /// The wall-clock ratio this session's measured times project for machines with more cores, training on the
    /// same torch threads T and the product's automatic spectra workers: W = C − T, plus the training thread itself
    /// when T = 1, which computes queued units while it waits (docs/PERFORMANCE.md, "Cores").
    /// </summary>
    /// <remarks>
    /// Per step, the training thread's own time with introspection (the introspected step minus its waits for the
    /// background thread: forward hooks, capture, checks) cannot shrink with cores; the background work splits into the
    /// spectra, whose units (a layer at a step) run on any worker, and recording, flushes and σ(W), which run in step
    /// order on the background thread (σ(W) goes to the workers when there are several; counting it as ordered errs
    /// high). A step then takes the longest of: the training thread; the ordered work; all background work over W
    /// workers; and all work, training's included, over the C cores. It assumes that the units spread perfectly and
    /// cost what they cost here; memory bandwidth shared by more threads and the queue's bounds (32 steps, 256 MB of
    /// factors) can only make it worse.
    /// </remarks>
    private static string Projection(IBenchmarkModel spec, TrainingSession session, double plainMs, double introspectedMs,
        double measuredRatio, IReadOnlyList<int> cores)
    {
        var t = session.Timings!;
        double steps = session.MeasuredSteps;
        double PerStep(params IntrospectionPhase[] phases) => phases.Sum(p => t[p].TotalMilliseconds) / steps;
        double training = introspectedMs - PerStep(IntrospectionPhase.Waiting);
        double spectra = PerStep(IntrospectionPhase.Spectra);
        double ordered = PerStep(IntrospectionPhase.Recording, IntrospectionPhase.Flushing, IntrospectionPhase.Weights, IntrospectionPhase.Permutations);
        int threads = TorchSharp.torch.get_num_threads();
        var table = new MarkdownTable("cores", "spectra workers (+ the waiting training thread)", "projected ms/step", "projected wall ratio", "measured wall ratio");
        foreach (int c in cores)
        {
            int workers = c - threads + (threads == 1 ? 1 : 0);
            if (c <= threads)
            {
                continue;
            }
            double step = new[] { training, ordered, (spectra + ordered) / workers, (training + spectra + ordered) / c }.Max();
            table.Add(c.ToString(CultureInfo.InvariantCulture), workers.ToString(CultureInfo.InvariantCulture),
                step.ToString("F2", CultureInfo.InvariantCulture), (step / plainMs).ToString("F2", CultureInfo.InvariantCulture),
                c == Environment.ProcessorCount && session.SpectraWorkers + (session.TrainingThreadHelps ? 1 : 0) == workers
                    ? measuredRatio.ToString("F2", CultureInfo.InvariantCulture) : "");
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"Projection for {spec.Description}, {session.Label}, on {threads} torch thread(s) (per step: plain {plainMs:F2} ms; " +
            $"training thread with introspection {training:F2} ms; spectra {spectra:F2} ms; recording, flushes and σ(W) in order {ordered:F2} ms; " +
            $"step = max(training thread, ordered work, (spectra + ordered work) ÷ workers, all work ÷ cores)):\n\n{table}");
    }

    private static string Share(double ms, double extra) =>
        extra > 0 ? (ms / extra).ToString("P0", CultureInfo.InvariantCulture) : "—";

    private static string Describe(IntrospectionPhase phase, bool background) => phase switch
    {
        IntrospectionPhase.Capture => "capture (stack factors after backward)",
        IntrospectionPhase.Spectra => "spectra (partition + routes)",
        IntrospectionPhase.Recording => "recording (summaries, rows into buffers)",
        IntrospectionPhase.Flushing => "flushes (Parquet part files, manifest; inside steps and at epoch ends)",
        IntrospectionPhase.Weights => "σ(W), once per epoch (amortised)",
        IntrospectionPhase.Permutations => "online permutation test (off here)",
        IntrospectionPhase.Waiting => background ? "training thread waiting for the background thread (full queue, epoch-end drain)" : "waiting (no background thread)",
        _ => phase.ToString(),
    };
}
