using AutoSpec.Capture;
using AutoSpec.Spectra;

namespace AutoSpec.Introspection;

/// <summary>What is recorded, when, and how.</summary>
public sealed record IntrospectionOptions
{
    /// <summary>Spectrum route; Auto picks the cheapest exact one per layer and step.</summary>
    public SpectrumRoute Route { get; init; } = SpectrumRoute.Auto;

    /// <summary>Quantities recorded (grad, act, delta per step; weight on its own schedule).</summary>
    public SpectrumQuantities Quantities { get; init; } = SpectrumQuantities.All;

    /// <summary>Precision of the spectra (float64 by default; <see cref="SpectrumPrecision.Single"/>: float32, faster).</summary>
    public SpectrumPrecision Precision { get; init; } = SpectrumPrecision.Double;

    /// <summary>Keep only the k largest singular values in spectra.parquet (null = all). Metrics use all.</summary>
    public int? TopK { get; init; }

    /// <summary>Record every k-th step (step % k == 0).</summary>
    public int Every { get; init; } = 1;

    /// <summary>Record only these 0-based epochs (null = all).</summary>
    public IReadOnlyList<int>? Epochs { get; init; }

    /// <summary>Layers to watch, by name (null = every weight layer).</summary>
    public IReadOnlyList<string>? Layers { get; init; }

    /// <summary>σ(W) at the first step of every k-th epoch and after the last step (0 = never).</summary>
    public int WeightEveryEpochs { get; init; } = 1;

    /// <summary>K of the top-K sum in metrics.parquet.</summary>
    public int MetricTopK { get; init; } = 5;

    /// <summary>Steps whose A, Δ, group ids, W and W.grad are written as .npy files.</summary>
    public IReadOnlyList<long> DumpSteps { get; init; } = [];

    /// <summary>Also record each gate of recurrent layers (LSTM i/f/g/o, GRU r/z/n) as its own layer "NAME:gate".</summary>
    public bool SplitGates { get; init; }

    /// <summary>
    /// What to do with a weight layer no registered adapter can factor: refuse the model (the default), leave the
    /// layer out with a warning in the manifest, or leave it out silently.
    /// </summary>
    public UnsupportedLayerMode UnsupportedLayers { get; init; } = UnsupportedLayerMode.Error;

    /// <summary>Buffered rows that trigger a flush to a part file (also flushed at every epoch end).</summary>
    public int FlushRows { get; init; } = 200_000;

    /// <summary>
    /// Relabellings per online permutation test (0 = off): per layer, window, metric and pair of groups, group labels
    /// are permuted over subjects (sizes kept) on the recorded steps' Gram blocks; rows go to permutations.parquet and
    /// the statistic under every relabelling to permutation_null.parquet. 1000 by default: with 100 the smallest
    /// p-value (1/101) cannot pass a Benjamini–Hochberg threshold over more than five tests.
    /// </summary>
    public int Permutations { get; init; } = 1000;

    /// <summary>Window of the online permutation test in steps (null = one epoch).</summary>
    public int? PermutationWindow { get; init; }

    /// <summary>
    /// Metrics of the online permutation statistic, comma-separated (see <see cref="Permutation.GramPermutationTest.Metrics"/>):
    /// by default the per-sample mean gradient's norm (what the group's subjects push the layer towards together)
    /// and the root mean square of the subjects' own gradient norms (how hard each is pushed), both free of
    /// eigendecompositions.
    /// </summary>
    public string PermutationMetric { get; init; } = string.Join(',', SpectralMetrics.PermutationDefaults.Select(m => m.Name));

    /// <summary>The metrics of <see cref="PermutationMetric"/>, in order.</summary>
    public IReadOnlyList<string> PermutationMetrics =>
        PermutationMetric.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();

    /// <summary>Seed of the online permutation tests' relabellings.</summary>
    public int PermutationSeed { get; init; }

    /// <summary>
    /// Largest number of (subject-compressed) rows per layer and step kept for the online test; a layer with more is
    /// reported untested for that window. Memory is 16·rows² bytes per layer and step of the open window.
    /// </summary>
    public int PermutationMaxRows { get; init; } = 512;

    /// <summary>
    /// Whether spectra, recording, σ(W) and flushes run on a background thread, overlapping training: Auto = when
    /// the machine has more cores than torch's threads. The numbers are the same either way.
    /// </summary>
    public BackgroundMode Background { get; init; } = BackgroundMode.Auto;

    /// <summary>
    /// Threads that compute the spectra of layers and steps at once (0 = auto: the cores torch's training threads
    /// leave free, at least 1; 1 = the spectra run on the background thread itself). With worker threads (auto, or
    /// more than one) a single training thread also runs queued units while it waits for them. The tables are the same for
    /// every count: results are recorded in step and layer order.
    /// </summary>
    public int SpectraWorkers { get; init; }

    /// <summary>Prefix of the parameter names <see cref="Validate"/> gives: this record's place in a run configuration.</summary>
    public const string ParamPrefix = "Introspection.";

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">
    /// An option is out of range; <see cref="ArgumentException.ParamName"/> is "Introspection." and the property's
    /// name (e.g. "Introspection.TopK": this record's path in a run configuration), and the message begins with it
    /// (see <see cref="OptionErrors"/>).
    /// </exception>
    public void Validate()
    {
        if (TopK is <= 0)
        {
            throw OptionErrors.OutOfRange(ParamPrefix + nameof(TopK), TopK, $"must be a positive integer (got {TopK}).");
        }
        if (Every <= 0)
        {
            throw OptionErrors.OutOfRange(ParamPrefix + nameof(Every), Every, $"must be a positive integer (got {Every}).");
        }
        if (WeightEveryEpochs < 0)
        {
            throw OptionErrors.OutOfRange(ParamPrefix + nameof(WeightEveryEpochs), WeightEveryEpochs, $"must be 0 (never) or positive (got {WeightEveryEpochs}).");
        }
        if (MetricTopK <= 0)
        {
            throw OptionErrors.OutOfRange(ParamPrefix + nameof(MetricTopK), MetricTopK, $"must be a positive integer (got {MetricTopK}).");
        }
        if (Epochs?.Any(e => e < 0) == true)
        {
            throw OptionErrors.Invalid(ParamPrefix + nameof(Epochs), "epochs are 0-based and cannot be negative.");
        }
        if (DumpSteps.Any(s => s < 0))
        {
            throw OptionErrors.Invalid(ParamPrefix + nameof(DumpSteps), "steps are 0-based and cannot be negative.");
        }
        if (Quantities == SpectrumQuantities.None)
        {
            throw OptionErrors.Invalid(ParamPrefix + nameof(Quantities), "choose at least one of grad, act, delta, weight.");
        }
        if (Permutations < 0)
        {
            throw OptionErrors.OutOfRange(ParamPrefix + nameof(Permutations), Permutations, $"must be 0 (off) or positive (got {Permutations}).");
        }
        if (PermutationWindow is <= 0)
        {
            throw OptionErrors.OutOfRange(ParamPrefix + nameof(PermutationWindow), PermutationWindow, $"must be a positive number of steps (got {PermutationWindow}); leave it out for one epoch.");
        }
        if (PermutationMetrics.Count == 0)
        {
            throw OptionErrors.Invalid(ParamPrefix + nameof(PermutationMetric), "give at least one metric.");
        }
        Permutation.GramPermutationTest.CheckMetrics(PermutationMetrics, ParamPrefix + nameof(PermutationMetric));
        if (PermutationMaxRows <= 0)
        {
            throw OptionErrors.OutOfRange(ParamPrefix + nameof(PermutationMaxRows), PermutationMaxRows, $"must be positive (got {PermutationMaxRows}).");
        }
        if (SpectraWorkers < 0)
        {
            throw OptionErrors.OutOfRange(ParamPrefix + nameof(SpectraWorkers), SpectraWorkers, $"must be 0 (auto) or a positive number of threads (got {SpectraWorkers}).");
        }
        if (FlushRows <= 0)
        {
            throw OptionErrors.OutOfRange(ParamPrefix + nameof(FlushRows), FlushRows, $"must be positive (got {FlushRows}).");
        }
    }

    /// <summary>Whether the factors of this step are captured.</summary>
    public bool RecordsStep(int epoch, long step) =>
        step % Every == 0 && (Epochs is null || Epochs.Contains(epoch));
}
