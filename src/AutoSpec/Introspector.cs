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
    private bool _recording;
    private bool _dumping;
    private bool _permuting;
    private const int StateVersion = 1;

    private long _openWindow = -1;
    private int _anonymousSamples;

    /// <summary>Attaches to the model's weight layers (all, or those named in the options).</summary>
    /// <exception cref="InvalidInputException">A named layer does not exist.</exception>
    public Introspector(nn.Module model, IntrospectionOptions options, IReadOnlyList<string> groupNames)
    {
        options.Validate();
        _options = options;
        _groupNames = groupNames;
        _capture = ModelCapture.Attach(model, options.Layers, options.SplitGates);
        _calculator = new GroupSpectraCalculator(options.Route, options.Quantities);
        _dumpSteps = [.. options.DumpSteps];
        _permutations = options.Permutations > 0 ? new PermutationWindow(options, groupNames) : null;
    }

    /// <summary>The watched layers.</summary>
    public IReadOnlyList<LayerCapture> Layers => _capture.Layers;

    /// <summary>Whether the online permutation test is on (its open window is then state a checkpoint must hold).</summary>
    internal bool PermutationsOn => _permutations is not null;

    /// <summary>Whether a window of the online permutation test is open (holds blocks not yet tested).</summary>
    internal bool WindowOpen => _permutations is { IsOpen: true };

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
    /// batch and each group, marks absent groups, and writes the audit dump when asked.
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
        if (_permutations is { IsOpen: true } open && open.WindowOf(step) != _openWindow)
        {
            long started = Stopwatch.GetTimestamp();
            open.Close(recorder);
            Timings.Add(IntrospectionPhase.Permutations, started);
        }
        if (!_recording && !_dumping && !_permuting)
        {
            recorder.EndStep(false);
            CloseCompleteWindow(step, recorder);
            return;
        }
        long clock = Stopwatch.GetTimestamp();
        var factors = _capture.TakeFactors(step.BatchSamples);
        clock = Timings.Add(IntrospectionPhase.Capture, clock);
        try
        {
            if (_dumping)
            {
                var layers = _capture.Layers.ToDictionary(l => l.Name);
                AuditDump.Write(recorder.Directory, step, factors, layers, sampleGroup, _groupNames);
            }
            if (_recording)
            {
                foreach (var f in factors)
                {
                    if (!f.Inputs.isfinite().all().item<bool>() || !f.Adjoints.isfinite().all().item<bool>())
                    {
                        throw new InvalidInputException(
                            $"layer '{f.Layer}' has non-finite inputs or gradients at step {step.Step}: the run stops rather than record them (a diverging run, or libtorch's CPU convolution backward, which returns NaN now and then: see docs/TORCHSHARP.md).");
                    }
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
            if (_permuting)
            {
                _openWindow = _permutations!.WindowOf(step);
                // Without subject ids a sample stands for itself; the step keeps it apart from other steps' samples.
                var subjects = sampleSubject ?? Enumerable.Range(_anonymousSamples, sampleGroup.Length).ToArray();
                _anonymousSamples += sampleSubject is null ? sampleGroup.Length : 0;
                foreach (var f in factors.Where(f => _capture.Layers.Any(l => l.Name == f.Layer)))
                {
                    _permutations.Add(step, f, sampleGroup, subjects);
                }
                clock = Timings.Add(IntrospectionPhase.Permutations, clock);
            }
        }
        finally
        {
            foreach (var f in factors)
            {
                f.Dispose();
            }
            _capture.Clear();
        }
        clock = Stopwatch.GetTimestamp();
        recorder.EndStep(_recording);
        Timings.Add(IntrospectionPhase.Flushing, clock);
        CloseCompleteWindow(step, recorder);
    }

    /// <summary>
    /// Call after the last step of an epoch: tests the epoch's window of the online permutation test now rather than
    /// at the next epoch's first step, so that a checkpoint written at the epoch's end holds no open window. Windows
    /// of <see cref="IntrospectionOptions.PermutationWindow"/> steps close after their last step by themselves.
    /// </summary>
    public void EndEpoch(int epoch, RunRecorder recorder)
    {
        if (_options.PermutationWindow is null && _permutations is { IsOpen: true } open && _openWindow == epoch)
        {
            long clock = Stopwatch.GetTimestamp();
            open.Close(recorder);
            Timings.Add(IntrospectionPhase.Permutations, clock);
        }
    }

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
        long clock = Stopwatch.GetTimestamp();
        foreach (var layer in _capture.Layers)
        {
            using var weight = layer.WeightMatrix();
            recorder.AddWeightSpectrum(step, layer.Name, layer.Kind, WeightSpectrum.Compute(weight));
        }
        Timings.Add(IntrospectionPhase.Weights, clock);
    }

    /// <summary>Call after the last step: tests the open window of the online permutation test.</summary>
    public void EndTraining(RunRecorder recorder)
    {
        long clock = Stopwatch.GetTimestamp();
        _permutations?.Close(recorder);
        Timings.Add(IntrospectionPhase.Permutations, clock);
    }

    /// <summary>Releases anything still captured (e.g. after an exception mid-step).</summary>
    public void AbortStep() => _capture.Clear();

    /// <inheritdoc />
    public void Dispose() => _capture.Dispose();
}
