using System.Diagnostics;
using AutoSpec.Capture;
using AutoSpec.Partition;
using AutoSpec.Record;
using AutoSpec.Spectra;
using static TorchSharp.torch;

namespace AutoSpec;

/// <summary>
/// What a training loop talks to: per step it switches capture on or off, and after backward turns the captured
/// factors into per-group spectra (capture → partition → spectra → record). It never runs its own forward or
/// backward pass.
/// </summary>
public sealed class Introspector : IDisposable
{
    private readonly ModelCapture _capture;
    private readonly IntrospectionOptions _options;
    private readonly IReadOnlyList<string> _groupNames;
    private readonly GroupSpectraCalculator _calculator;
    private readonly HashSet<long> _dumpSteps;
    private readonly PermutationWindow? _permutations;
    private readonly IntrospectionWorker? _worker;
    private bool _recording;
    private bool _dumping;
    private bool _permuting;
    private const int StateVersion = 1;

    private long _openWindow = -1;
    private int _anonymousSamples;

    /// <summary>Attaches to the model's weight layers (all, or those named in the options).</summary>
    /// <param name="model">The model.</param>
    /// <param name="options">What to record.</param>
    /// <param name="groupNames">Names of the group indices given to <see cref="AfterBackward"/>.</param>
    /// <param name="subjectGroups">
    /// Group index of every subject id given to <see cref="AfterBackward"/> (negative: a subject in several groups),
    /// e.g. of every subject of the data set: the online permutation test then exchanges labels over all of them, the
    /// same relabellings in every run on these subjects, so that <c>autospec analyze</c> can pool runs. Null: over the
    /// subjects each window sees.
    /// </param>
    /// <exception cref="InvalidInputException">A named layer does not exist.</exception>
    public Introspector(nn.Module model, IntrospectionOptions options, IReadOnlyList<string> groupNames,
        IReadOnlyList<int>? subjectGroups = null)
    {
        options.Validate();
        _options = options;
        _groupNames = groupNames;
        _capture = ModelCapture.Attach(model, options.Layers, options.SplitGates);
        _calculator = new GroupSpectraCalculator(options.Route, options.Quantities);
        _dumpSteps = [.. options.DumpSteps];
        _permutations = options.Permutations > 0 ? new PermutationWindow(options, groupNames, subjectGroups) : null;
        int trainingThreads = get_num_threads();
        bool background = options.Background switch
        {
            BackgroundMode.On => true,
            BackgroundMode.Off => false,
            _ => Environment.ProcessorCount > trainingThreads,
        };
        if (background)
        {
            BackgroundThreads = IntrospectionWorker.ThreadsBeside(trainingThreads);
            _worker = new IntrospectionWorker(BackgroundQueue, BackgroundBudgetBytes, BackgroundThreads, Timings);
        }
    }

    /// <summary>Unfinished items of work (steps, σ(W), flushes) beyond which training waits for the background thread.</summary>
    internal const int BackgroundQueue = 32;

    /// <summary>Bytes of factors and weight copies held for the background thread beyond which training waits for it.</summary>
    internal const long BackgroundBudgetBytes = 256L << 20;

    /// <summary>Torch threads of the background thread (0 = no background thread: introspection runs in the training thread).</summary>
    public int BackgroundThreads { get; }

    /// <summary>The watched layers.</summary>
    public IReadOnlyList<LayerCapture> Layers => _capture.Layers;

    /// <summary>Whether the online permutation test is on (its open window is then state a checkpoint must hold).</summary>
    internal bool PermutationsOn => _permutations is not null;

    /// <summary>
    /// Whether a window of the online permutation test is open (holds blocks not yet tested), once the background
    /// thread has done what it was given.
    /// </summary>
    internal bool WindowOpen
    {
        get
        {
            Drain();
            return _permutations is { IsOpen: true };
        }
    }

    /// <summary>Time spent per phase of introspection so far (for profiling and the benchmarks).</summary>
    public IntrospectionTimings Timings { get; } = new();

    /// <summary>Call before the forward pass of a step: captures only when the step is recorded or dumped.</summary>
    public void BeginStep(int epoch, long step)
    {
        _recording = _calculator.Quantities != SpectrumQuantities.None && _options.RecordsStep(epoch, step);
        _dumping = _dumpSteps.Contains(step);
        _permuting = _permutations is not null && _options.RecordsStep(epoch, step);
        _capture.Enabled = _recording || _dumping || _permuting;
    }

    /// <summary>
    /// Call after backward and before the optimiser step: records the spectra of every watched layer for the whole
    /// batch and each group, marks absent groups, and writes the audit dump when asked. With a background thread the
    /// factors are taken and checked here and the rest runs there, in step order.
    /// </summary>
    /// <param name="step">Epoch, step and batch size.</param>
    /// <param name="sampleGroup">Group index of every sample of the batch.</param>
    /// <param name="recorder">Where rows go.</param>
    /// <param name="sampleSubject">
    /// Subject of every sample of the batch (any integer unique per subject and stable over the run); needed by the
    /// online permutation test, which relabels subjects. Null: every sample is its own subject.
    /// </param>
    public void AfterBackward(StepInfo step, int[] sampleGroup, RunRecorder recorder, int[]? sampleSubject = null)
    {
        bool recording = _recording, permuting = _permuting;
        List<LayerFactors> factors = [];
        if (_recording || _dumping || _permuting)
        {
            long clock = Stopwatch.GetTimestamp();
            try
            {
                factors = _capture.TakeFactors(step.BatchSamples);
                if (_recording)
                {
                    CheckFinite(factors, step);
                }
                // The dump holds W and W.grad of this step, which the optimiser changes next: never deferred.
                if (_dumping)
                {
                    var layers = _capture.Layers.ToDictionary(l => l.Name);
                    AuditDump.Write(recorder.Directory, step, factors, layers, sampleGroup, _groupNames);
                }
            }
            catch
            {
                Release(factors);
                throw;
            }
            finally
            {
                _capture.Clear();
            }
            Timings.Add(IntrospectionPhase.Capture, clock);
        }
        Run(() => RecordStep(step, factors, sampleGroup, sampleSubject, recording, permuting, recorder), () => Release(factors),
            factors.Sum(f => f.Inputs.NumberOfElements * f.Inputs.ElementSize + f.Adjoints.NumberOfElements * f.Adjoints.ElementSize));
    }

    private static void CheckFinite(List<LayerFactors> factors, StepInfo step)
    {
        foreach (var f in factors)
        {
            if (!AllFinite(f.Inputs) || !AllFinite(f.Adjoints))
            {
                throw new InvalidInputException(
                    $"layer '{f.Layer}' has non-finite inputs or gradients at step {step.Step}: the run stops rather than record them (a diverging run, or native convolutions forced with --convolution native where they fail the start-up check: see docs/TORCHSHARP.md).");
            }
        }
    }

    /// <summary>
    /// Whether every element is finite. A sum is finite only if every term is (NaN and ±∞ propagate), and summing is
    /// ~20× cheaper than isfinite().all() (measured: 8 against 179 µs for 64×1378 floats) — this runs on the training
    /// thread at every recorded step. Only a sum that overflows on finite values needs the element-wise check.
    /// </summary>
    private static bool AllFinite(Tensor x)
    {
        using var scope = NewDisposeScope();
        return double.IsFinite(x.sum().to_type(ScalarType.Float64).item<double>()) || x.isfinite().all().item<bool>();
    }

    private static void Release(List<LayerFactors> factors)
    {
        foreach (var f in factors)
        {
            f.Dispose();
        }
    }

    /// <summary>Spectra, rows, permutation blocks and the step's end, on whichever thread does introspection.</summary>
    private void RecordStep(StepInfo step, List<LayerFactors> factors, int[] sampleGroup, int[]? sampleSubject,
        bool recording, bool permuting, RunRecorder recorder)
    {
        try
        {
            if (_permutations is { IsOpen: true } open && open.WindowOf(step) != _openWindow)
            {
                long started = Stopwatch.GetTimestamp();
                open.Close(recorder);
                Timings.Add(IntrospectionPhase.Permutations, started);
            }
            long clock = Stopwatch.GetTimestamp();
            if (recording)
            {
                foreach (var f in factors)
                {
                    var partition = RowPartition.Create(f.RowSample, sampleGroup, _groupNames);
                    var spectra = _calculator.Compute(f, partition);
                    clock = Timings.Add(IntrospectionPhase.Spectra, clock);
                    recorder.AddGroupSpectra(step, f.Layer, f.LayerKind, spectra);
                    foreach (var absent in partition.Absent)
                    {
                        recorder.AddAbsentGroup(step, f.Layer, f.LayerKind, absent, _calculator.Quantities);
                    }
                    clock = Timings.Add(IntrospectionPhase.Recording, clock);
                }
                Timings.CountStep();
            }
            if (permuting)
            {
                _openWindow = _permutations!.WindowOf(step);
                // Without subject ids a sample stands for itself; the step keeps it apart from other steps' samples.
                var subjects = sampleSubject ?? Enumerable.Range(_anonymousSamples, sampleGroup.Length).ToArray();
                _anonymousSamples += sampleSubject is null ? sampleGroup.Length : 0;
                foreach (var f in factors.Where(f => _capture.Layers.Any(l => l.Name == f.Layer)))
                {
                    _permutations.Add(step, f, sampleGroup, subjects);
                }
                Timings.Add(IntrospectionPhase.Permutations, clock);
            }
        }
        finally
        {
            Release(factors);
        }
        long flushed = Stopwatch.GetTimestamp();
        recorder.EndStep(recording);
        Timings.Add(IntrospectionPhase.Flushing, flushed);
        CloseCompleteWindow(step, recorder);
    }

    /// <summary>Runs work now, or queues it for the background thread.</summary>
    private void Run(Action work, Action? discard = null, long bytes = 0)
    {
        if (_worker is null)
        {
            work();
        }
        else
        {
            _worker.Post(new BackgroundWork(work, discard, bytes));
        }
    }

    private sealed record BackgroundWork(Action Work, Action? Release, long Bytes) : IntrospectionWorker.IItem
    {
        public void Run() => Work();

        public void Discard() => Release?.Invoke();
    }

    /// <summary>
    /// Waits for the background thread to finish everything posted so far (no-op without one) and rethrows its error:
    /// call before reading the recorder's position, the introspection state or the tables.
    /// </summary>
    public void Drain() => _worker?.Drain();

    /// <summary>
    /// Runs work in order with the introspection work posted so far (on the background thread when there is one):
    /// what writes to the recorder during training goes through here, so that every table's rows keep step order.
    /// </summary>
    internal void InOrder(Action work) => Run(work);

    /// <summary>Writes the buffered rows as part files (on the background thread when there is one).</summary>
    public void Flush(RunRecorder recorder) => Run(() =>
    {
        long clock = Stopwatch.GetTimestamp();
        recorder.Flush();
        Timings.Add(IntrospectionPhase.Flushing, clock);
    });

    /// <summary>
    /// Call after the last step of an epoch: tests the epoch's window of the online permutation test now rather than
    /// at the next epoch's first step, so that a checkpoint written at the epoch's end holds no open window. Windows
    /// of <see cref="IntrospectionOptions.PermutationWindow"/> steps close after their last step by themselves.
    /// </summary>
    public void EndEpoch(int epoch, RunRecorder recorder) => Run(() =>
    {
        if (_options.PermutationWindow is null && _permutations is { IsOpen: true } open && _openWindow == epoch)
        {
            long clock = Stopwatch.GetTimestamp();
            open.Close(recorder);
            Timings.Add(IntrospectionPhase.Permutations, clock);
        }
    });

    /// <summary>Closes a window of W steps after its last step (the window is the same as when the next step closes it).</summary>
    private void CloseCompleteWindow(StepInfo step, RunRecorder recorder)
    {
        if (_options.PermutationWindow is int w && _permutations is { IsOpen: true } open && _openWindow == step.Step / w
            && (step.Step + 1) % w == 0)
        {
            long clock = Stopwatch.GetTimestamp();
            open.Close(recorder);
            Timings.Add(IntrospectionPhase.Permutations, clock);
        }
    }

    /// <summary>
    /// The state a checkpoint must carry for a resumed run to record the same permutation tests: the open window's
    /// blocks and subjects (see <see cref="PermutationWindow.Write"/>) and the counter of anonymous subjects.
    /// </summary>
    internal byte[] SaveState()
    {
        Drain();
        return StateInOrder();
    }

    /// <summary>
    /// <see cref="SaveState"/> without waiting: only for work run through <see cref="InOrder"/>, which sees the state
    /// exactly after the work posted before it.
    /// </summary>
    internal byte[] StateInOrder()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(StateVersion);
            w.Write(_openWindow);
            w.Write(_anonymousSamples);
            w.Write(_permutations is not null);
            _permutations?.Write(w);
        }
        return stream.ToArray();
    }

    /// <summary>Restores a state written by <see cref="SaveState"/>.</summary>
    /// <exception cref="InvalidDataException">The state is of another version or does not fit this introspector.</exception>
    internal void RestoreState(byte[] state)
    {
        Drain();
        using var r = new BinaryReader(new MemoryStream(state), System.Text.Encoding.UTF8);
        int version = r.ReadInt32();
        if (version != StateVersion)
        {
            throw new InvalidDataException($"introspection state version {version}, this version of AutoSpec reads {StateVersion}");
        }
        long openWindow = r.ReadInt64();
        int anonymous = r.ReadInt32();
        bool permutations = r.ReadBoolean();
        if (permutations != (_permutations is not null))
        {
            throw new InvalidDataException("the online permutation test was " + (permutations ? "on" : "off") + " when the checkpoint was written");
        }
        _permutations?.Read(r);
        if (r.BaseStream.Position != r.BaseStream.Length)
        {
            throw new InvalidDataException("trailing bytes after the introspection state");
        }
        _openWindow = openWindow;
        _anonymousSamples = anonymous;
    }

    /// <summary>Records σ(W) of every watched layer (if the weight quantity is on).</summary>
    public void RecordWeights(StepInfo step, RunRecorder recorder)
    {
        if (!_options.Quantities.HasFlag(SpectrumQuantities.Weight))
        {
            return;
        }
        // The optimiser changes the weights in place next: the background thread gets copies.
        var weights = _capture.Layers.Select(l =>
        {
            var w = l.WeightMatrix();
            if (_worker is null)
            {
                return w;
            }
            using (w)
            {
                // Out of the step's dispose scope, which ends before the background thread gets to it.
                return w.clone().DetachFromDisposeScope();
            }
        }).ToList();
        Run(() =>
        {
            long clock = Stopwatch.GetTimestamp();
            try
            {
                foreach (var (layer, weight) in _capture.Layers.Zip(weights))
                {
                    recorder.AddWeightSpectrum(step, layer.Name, layer.Kind, WeightSpectrum.Compute(weight));
                }
            }
            finally
            {
                weights.ForEach(w => w.Dispose());
            }
            Timings.Add(IntrospectionPhase.Weights, clock);
        }, () => weights.ForEach(w => w.Dispose()), weights.Sum(w => w.NumberOfElements * w.ElementSize));
    }

    /// <summary>Call after the last step: tests the open window of the online permutation test.</summary>
    public void EndTraining(RunRecorder recorder) => Run(() =>
    {
        long clock = Stopwatch.GetTimestamp();
        _permutations?.Close(recorder);
        Timings.Add(IntrospectionPhase.Permutations, clock);
    });

    /// <summary>
    /// Releases anything still captured (e.g. after an exception mid-step) and lets the background thread finish what
    /// it was given, ignoring its errors (the run has already failed or been cancelled): the checkpoint and rows of the
    /// steps before the failure still reach the disk, in order. The queue's bounds (<see cref="BackgroundQueue"/>
    /// items, <see cref="BackgroundBudgetBytes"/> of factors) bound the wait.
    /// </summary>
    public void AbortStep()
    {
        _capture.Clear();
        _worker?.Quiesce();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _worker?.Dispose();
        _capture.Dispose();
    }
}
