using System.Globalization;
using AutoSpec.Introspection;
using AutoSpec.Spectra;

namespace AutoSpec.Benchmarks;

/// <summary>Command-line settings of the benchmark program (defaults reproduce docs/PERFORMANCE.md).</summary>
internal sealed record BenchmarkSettings
{
    /// <summary>overhead, workers, routes, precision, memory, layers, all, or stress and flush (not part of all).</summary>
    public string Command { get; init; } = "all";

    public IReadOnlyList<string> Models { get; init; } = AutoSpec.Benchmarks.Models.BenchmarkModels.Names;

    /// <summary>Interleaved repetitions (one epoch per session each) of the overhead benchmark.</summary>
    public int Reps { get; init; } = 20;

    public int Warmup { get; init; } = 2;

    /// <summary>Timed repetitions of every call of the spectra floor (its fastest counts).</summary>
    public int FloorReps { get; init; } = 7;

    public int StepsPerEpoch { get; init; } = 16;

    /// <summary>Recording frequencies compared with plain training (--every).</summary>
    public IReadOnlyList<int> Every { get; init; } = [1, 10];

    public SpectrumRoute Route { get; init; } = SpectrumRoute.Auto;

    /// <summary>Where introspection runs, one introspected session per mode and frequency (--background off,on).</summary>
    public IReadOnlyList<BackgroundMode> Background { get; init; } = [BackgroundMode.Off, BackgroundMode.On];

    /// <summary>Spectra worker threads, one introspected session per count (0 = the product's auto choice).</summary>
    public IReadOnlyList<int> SpectraWorkers { get; init; } = [0];

    /// <summary>Worker counts of the workers benchmark (empty: 1 to the machine's cores).</summary>
    public IReadOnlyList<int> ScalingWorkers { get; init; } = [];

    /// <summary>Cores for which the overhead report projects the wall-clock ratio from its measured times.</summary>
    public IReadOnlyList<int> ProjectCores { get; init; } = [2, 4, 8, 16];

    /// <summary>Adds an every-step session whose small eigen/SVD problems use all torch threads.</summary>
    public bool CompareSmallProblemThreads { get; init; }

    public IReadOnlyList<int> RouteSizes { get; init; } = [256, 1024, 2048, 4096];

    public IReadOnlyList<int> RouteRows { get; init; } = [32, 64, 128];

    public int RouteReps { get; init; } = 7;

    /// <summary>Repetitions of the naive route at sizes ≥ 2048 (a full SVD of p×q per group is slow).</summary>
    public int NaiveLargeReps { get; init; } = 1;

    public int MemorySteps { get; init; } = 10_000;

    /// <summary>Timed epochs (one flush each) of the flush benchmark.</summary>
    public int FlushEpochs { get; init; } = 60;

    /// <summary>
    /// Epochs flushed before the flush benchmark times any: a few seconds, so that tiered compilation has optimised
    /// the recorder's and Parquet.Net's code (after 5 epochs, adding rows still ran 4× slower than optimised code).
    /// </summary>
    public int FlushWarmup { get; init; } = 200;

    /// <summary>Sequence lengths of the layer benchmark (ours against TorchSharp's native layers).</summary>
    public IReadOnlyList<int> LayerSteps { get; init; } = [20, 60, 140];

    /// <summary>Interleaved repetitions of the layer benchmark.</summary>
    public int LayerReps { get; init; } = 7;

    /// <summary>Short trainings of the stress test.</summary>
    public int Trainings { get; init; } = 3000;

    /// <summary>Zoo models the stress test rotates through.</summary>
    public IReadOnlyList<string> StressModels { get; init; } = ["mlp", "cnn1d", "lstm", "bilstm", "gru", "transformer", "cnn3d"];

    /// <summary>The stress test's background introspection thread.</summary>
    public BackgroundMode StressBackground { get; init; } = BackgroundMode.On;

    /// <summary>The stress test CNNs' convolution (auto, native or unfold; see ConvolutionChoice).</summary>
    public string StressConvolution { get; init; } = "auto";

    /// <summary>Whether a thread keeps forcing full collections and finalisers during the stress test.</summary>
    public bool GcPressure { get; init; }

    /// <summary>The stress test stops starting trainings after this long.</summary>
    public TimeSpan StressTimeLimit { get; init; } = TimeSpan.FromHours(10);

    /// <summary>Torch intra-op threads (0 = TorchSharp's default).</summary>
    public int Threads { get; init; }

    /// <summary>Where run folders of introspected sessions go (deleted at the end; one per process, so that benchmarks run side by side do not delete each other's).</summary>
    public string WorkDirectory { get; init; } = Path.Combine(Path.GetTempPath(), $"autospec-bench-{Environment.ProcessId}");

    /// <summary>Markdown report path (also printed).</summary>
    public string? Out { get; init; }

    public static BenchmarkSettings Parse(string[] args)
    {
        var s = new BenchmarkSettings();
        int i = 0;
        if (args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal))
        {
            s = s with { Command = args[0] };
            i = 1;
        }
        for (; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"option {args[i]} needs a value");
            }
            string v = args[i + 1];
            s = args[i] switch
            {
                "--models" => s with { Models = v.Split(',') },
                "--reps" => s with { Reps = Int(v) },
                "--warmup" => s with { Warmup = Int(v) },
                "--floor-reps" => s with { FloorReps = Int(v) },
                "--steps-per-epoch" => s with { StepsPerEpoch = Int(v) },
                "--every" => s with { Every = v.Split(',').Select(Int).ToList() },
                "--route" => s with { Route = Enum.Parse<SpectrumRoute>(v, ignoreCase: true) },
                "--background" => s with
                {
                    Background = v.Split(',').Select(m => Enum.Parse<BackgroundMode>(m, ignoreCase: true)).ToList(),
                    StressBackground = Enum.Parse<BackgroundMode>(v.Split(',')[0], ignoreCase: true),
                },
                "--spectra-workers" => s with { SpectraWorkers = v.Split(',').Select(Int).ToList() },
                "--scaling-workers" => s with { ScalingWorkers = v.Split(',').Select(Int).ToList() },
                "--project-cores" => s with { ProjectCores = v.Split(',').Select(Int).ToList() },
                "--sizes" => s with { RouteSizes = v.Split(',').Select(Int).ToList() },
                "--rows" => s with { RouteRows = v.Split(',').Select(Int).ToList() },
                "--route-reps" => s with { RouteReps = Int(v) },
                "--naive-large-reps" => s with { NaiveLargeReps = Int(v) },
                "--layer-steps" => s with { LayerSteps = v.Split(',').Select(Int).ToList() },
                "--layer-reps" => s with { LayerReps = Int(v) },
                "--memory-steps" => s with { MemorySteps = Int(v) },
                "--flush-epochs" => s with { FlushEpochs = Int(v) },
                "--flush-warmup" => s with { FlushWarmup = Int(v) },
                "--compare-small-problem-threads" => s with { CompareSmallProblemThreads = bool.Parse(v) },
                "--threads" => s with { Threads = Int(v) },
                "--trainings" => s with { Trainings = Int(v) },
                "--stress-models" => s with { StressModels = v.Split(',') },
                "--gc-pressure" => s with { GcPressure = bool.Parse(v) },
                "--convolution" => s with { StressConvolution = v },
                "--minutes" => s with { StressTimeLimit = TimeSpan.FromMinutes(Int(v)) },
                "--work" => s with { WorkDirectory = v },
                "--out" => s with { Out = v },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        if (s.Command is not ("overhead" or "workers" or "routes" or "precision" or "memory" or "layers" or "all" or "stress" or "flush"))
        {
            throw new ArgumentException($"unknown command '{s.Command}'; use overhead, workers, routes, precision, memory, layers, all, stress or flush");
        }
        return s;
    }

    private static int Int(string v) => int.Parse(v, CultureInfo.InvariantCulture);
}
