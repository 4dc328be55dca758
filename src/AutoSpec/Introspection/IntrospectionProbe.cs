using System.Diagnostics;
using AutoSpec.Capture;
using static TorchSharp.torch;

namespace AutoSpec.Introspection;

/// <summary>
/// Watches a model's weight layers while a training loop of the caller's runs: per step it captures the layers'
/// inputs and adjoints (only when some measurement needs them), and after backward turns them into per-group spectra,
/// σ(W), permutation tests and audit dumps, which go to its sinks. It never runs a forward or backward pass itself.
/// </summary>
/// <example>
/// <code>
/// using var probe = new IntrospectionProbe(model, new IntrospectionOptions(), ["control", "patient"],
///     sinks: [RunRecorder.Create("runs/mine")]);
/// for (int epoch = 0; epoch &lt; epochs; epoch++)
/// {
///     foreach (var (x, y, groups, subjects) in batches)
///     {
///         optimizer.zero_grad();
///         using (probe.Step(epoch, step++, groups, subjects))
///         {
///             loss(model.call(x), y).backward();
///         }
///         optimizer.step();
///     }
///     probe.EndEpoch();
/// }
/// probe.Complete();
/// </code>
/// </example>
public sealed class IntrospectionProbe : IDisposable
{
    private const int StateVersion = 2;

    private readonly ModelCapture _capture;
    private readonly IntrospectionOptions _options;
    private readonly IReadOnlyList<string> _groupNames;
    private readonly SinkFanOut _sinks = new();
    private readonly List<StepConsumer> _consumers;
    private readonly SpectraConsumer _spectra;
    private readonly IntrospectionWorker? _worker;
    private readonly SpectraWorkerPool? _spectraWorkers;
    private ProbeStep? _open;
    private bool _capturing;
    private StepInfo? _last;
    private StepInfo? _lastInPipeline;
    private bool _ended;

    /// <summary>Attaches to the model's weight layers (all, or those named in the options).</summary>
    /// <param name="model">The model.</param>
    /// <param name="options">What to record, when and how.</param>
    /// <param name="groupNames">Names of the group indices given to <see cref="Step"/>.</param>
    /// <param name="subjectGroups">
    /// Group index of every subject id given to <see cref="Step"/> (negative: a subject in several groups), e.g. of
    /// every subject of the data set: the online permutation test then exchanges labels over all of them, the same
    /// relabellings in every run on these subjects, so that runs can be pooled. Null: over the subjects each window
    /// sees.
    /// </param>
    /// <param name="sinks">Where results go (more can be attached with <see cref="Attach"/> before the first step).</param>
    /// <param name="layers">The layer adapters (null: <see cref="LayerRegistry.Default"/>; register adapters there or in a registry of your own for layer types beyond the built-in ones).</param>
    /// <exception cref="ArgumentException">
    /// An option is out of range or a named layer does not exist: <see cref="ArgumentException.ParamName"/> is the
    /// option's path as <see cref="IntrospectionOptions.Validate"/> gives it (e.g. "Introspection.Layers").
    /// </exception>
    public IntrospectionProbe(nn.Module model, IntrospectionOptions options, IReadOnlyList<string> groupNames,
        IReadOnlyList<int>? subjectGroups = null, IEnumerable<IIntrospectionSink>? sinks = null, LayerRegistry? layers = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(groupNames);
        options.Validate();
        if (groupNames.Count == 0 || groupNames.Distinct().Count() != groupNames.Count)
        {
            throw new ArgumentException("give each group one distinct name", nameof(groupNames));
        }
        _options = options;
        _groupNames = groupNames;
        try
        {
            _capture = ModelCapture.Attach(model, options.Layers, options.SplitGates, options.UnsupportedLayers, layers);
        }
        catch (ArgumentException e) when (e.ParamName == "layerNames")
        {
            // The names came from the options: say which option, as Validate does for the others.
            throw OptionErrors.WithParamName(e, IntrospectionOptions.ParamPrefix + nameof(IntrospectionOptions.Layers));
        }
        int trainingThreads = get_num_threads();
        bool background = options.Background switch
        {
            BackgroundMode.On => true,
            BackgroundMode.Off => false,
            _ => Environment.ProcessorCount > trainingThreads,
        };
        SpectraWorkers = SpectraWorkerPool.Resolve(options.SpectraWorkers, trainingThreads);
        if (SpectraWorkers > 1 || (background && trainingThreads == 1 && options.SpectraWorkers == 0))
        {
            _spectraWorkers = new SpectraWorkerPool(SpectraWorkers,
                Math.Max(1, IntrospectionWorker.ThreadsBeside(trainingThreads) / SpectraWorkers));
        }
        if (background)
        {
            BackgroundThreads = IntrospectionWorker.ThreadsBeside(trainingThreads);
            // The training thread runs spectra units while it waits, if it runs torch as the workers do (the numbers
            // then do not depend on who ran a unit).
            var pool = _spectraWorkers;
            TrainingThreadHelps = pool is not null && pool.TorchThreads == trainingThreads;
            _worker = new IntrospectionWorker(BackgroundQueue, BackgroundBudgetBytes, BackgroundThreads, Timings,
                TrainingThreadHelps ? pool!.TryRunOne : null);
        }
        _spectra = new SpectraConsumer(options, groupNames, _sinks, Timings, _spectraWorkers);
        _consumers =
        [
            _spectra,
            new AuditDumpConsumer(options, groupNames, _capture.Layers, () => _sinks.Folder),
            new WeightSpectraConsumer(options, _capture.Layers, _sinks, Timings, copyWeights: _worker is not null || _spectraWorkers is not null,
                _spectraWorkers),
        ];
        if (options.Permutations > 0)
        {
            _consumers.Add(new PermutationConsumer(options, groupNames, subjectGroups,
                _capture.Layers.Select(l => l.Name).ToHashSet(), _sinks, Timings));
        }
        foreach (var sink in sinks ?? [])
        {
            Attach(sink);
        }
    }

    /// <summary>Unfinished items of work (steps, σ(W), flushes) beyond which training waits for the background thread.</summary>
    internal const int BackgroundQueue = 32;

    /// <summary>Bytes of factors and weight copies held for the background thread beyond which training waits for it.</summary>
    internal const long BackgroundBudgetBytes = 256L << 20;

    /// <summary>Torch threads of the background thread (0 = no background thread: introspection runs in the training thread).</summary>
    public int BackgroundThreads { get; }

    /// <summary>Threads computing spectra at once (1: on the background thread, or the training thread without one).</summary>
    public int SpectraWorkers { get; }

    /// <summary>Whether the training thread computes queued spectra units while it waits for the background thread.</summary>
    public bool TrainingThreadHelps { get; }

    /// <summary>The watched layers.</summary>
    public IReadOnlyList<LayerCapture> Layers => _capture.Layers;

    /// <summary>What the probe records, as its sinks are told.</summary>
    public ProbeDescription Description => new(_options,
        _capture.Layers.ToDictionary(l => l.Name, l => $"{l.Kind} {l.Q}x{l.P}"), _groupNames, BackgroundThreads)
    {
        Warnings = _capture.Warnings,
        SpectraWorkers = SpectraWorkers,
        TrainingThreadHelps = TrainingThreadHelps,
    };

    /// <summary>Time spent per phase of introspection so far (for profiling and the benchmarks).</summary>
    public IntrospectionTimings Timings { get; } = new();

    /// <summary>Steps whose scope ended without a backward pass through the captured layers (nothing was recorded for them).</summary>
    public long StepsWithoutBackward { get; private set; }

    /// <summary>Whether the online permutation test is on (its open window is then state a checkpoint must hold).</summary>
    internal bool PermutationsOn => _options.Permutations > 0;

    /// <summary>Adds a sink; only before the first step, so that every sink sees the whole run.</summary>
    /// <exception cref="InvalidOperationException">A step has already been taken.</exception>
    public void Attach(IIntrospectionSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (_last is not null || _open is not null)
        {
            throw new InvalidOperationException("attach sinks before the first step: a sink attached later would miss the steps before it");
        }
        sink.Start(Description);
        _sinks.Add(sink);
    }

    /// <summary>
    /// Starts a step: call before the forward pass and dispose the result after <c>loss.backward()</c>, before the
    /// optimiser step. Captures only when the step is recorded, dumped or tested.
    /// </summary>
    /// <param name="epoch">0-based epoch (never decreasing).</param>
    /// <param name="step">0-based global step, counted across epochs (increasing).</param>
    /// <param name="sampleGroup">Group index (into the group names) of every sample of the batch, in batch order.</param>
    /// <param name="sampleSubject">
    /// Subject of every sample (any integer unique per subject and stable over the run; with the probe's subject
    /// groups, the subject's index in them), needed by the permutation test, which relabels subjects. Null: every
    /// sample is its own subject.
    /// </param>
    /// <exception cref="ArgumentException">Steps out of order, or groups/subjects that do not fit.</exception>
    /// <exception cref="InvalidOperationException">The previous step's scope is still open, or the probe is complete.</exception>
    public ProbeStep Step(int epoch, long step, int[] sampleGroup, int[]? sampleSubject = null)
    {
        ArgumentNullException.ThrowIfNull(sampleGroup);
        ObjectDisposedException.ThrowIf(_ended, this);
        if (_open is not null)
        {
            throw new InvalidOperationException($"step {_open.Info.Step} is still open: dispose its scope before starting step {step}");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (_last is { } last && (step <= last.Step || epoch < last.Epoch))
        {
            throw new ArgumentOutOfRangeException(nameof(step),
                $"steps must increase and epochs never decrease: epoch {epoch}, step {step} follows epoch {last.Epoch}, step {last.Step}");
        }
        if (sampleGroup.Length == 0)
        {
            throw new ArgumentException("a step needs at least one sample", nameof(sampleGroup));
        }
        foreach (int g in sampleGroup)
        {
            if (g < 0 || g >= _groupNames.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(sampleGroup), $"group index {g} is not one of the {_groupNames.Count} groups");
            }
        }
        if (sampleSubject is not null && sampleSubject.Length != sampleGroup.Length)
        {
            throw new ArgumentException($"{sampleSubject.Length} subjects for {sampleGroup.Length} samples", nameof(sampleSubject));
        }
        _capturing = _consumers.Any(c => c.Captures(epoch, step));
        _capture.Enabled = _capturing;
        _open = new ProbeStep(this, new StepInfo(epoch, step, sampleGroup.Length), sampleGroup, sampleSubject);
        return _open;
    }

    /// <summary>Ends a step (from <see cref="ProbeStep.Dispose"/>): takes the factors and hands the work on.</summary>
    internal void End(ProbeStep scope)
    {
        _open = null;
        // Forward passes between steps (evaluation, a caller's own checks) must not add rows to the next step.
        _capture.Enabled = false;
        var info = scope.Info;
        List<LayerFactors> factors = [];
        if (_capturing && _capture.AwaitsBackward)
        {
            // No backward pass (an exception on its way, or an evaluation pass): nothing to record.
            _capture.Clear();
            StepsWithoutBackward++;
            return;
        }
        _last = info;
        var works = new List<ConsumerWork>();
        try
        {
            if (_capturing)
            {
                long clock = Stopwatch.GetTimestamp();
                try
                {
                    factors = _capture.TakeFactors(info.BatchSamples);
                }
                finally
                {
                    _capture.Clear();
                }
                Timings.Add(IntrospectionPhase.Capture, clock);
            }
            var step = new CapturedStep(info, factors, scope.SampleGroup, scope.SampleSubject);
            foreach (var c in _consumers)
            {
                if (c.AfterBackward(step) is { } work)
                {
                    works.Add(work);
                }
            }
        }
        catch
        {
            works.ForEach(w => w.Release?.Invoke());
            Release(factors);
            throw;
        }
        bool recorded = _capturing && _spectra.Captures(info.Epoch, info.Step);
        var held = factors;
        Post(new ConsumerWork(() =>
        {
            try
            {
                RunAll(works);
            }
            finally
            {
                Release(held);
            }
            _lastInPipeline = info;
            long flushed = Stopwatch.GetTimestamp();
            _sinks.EndStep(recorded);
            Timings.Add(IntrospectionPhase.Flushing, flushed);
        }, () =>
        {
            works.ForEach(w => w.Release?.Invoke());
            Release(held);
        }, factors.Sum(f => f.Inputs.NumberOfElements * f.Inputs.ElementSize + f.Adjoints.NumberOfElements * f.Adjoints.ElementSize)
            + works.Sum(w => w.Bytes)));
    }

    /// <summary>Runs every work; after a failure the others only release what they hold.</summary>
    private static void RunAll(List<ConsumerWork> works)
    {
        for (int i = 0; i < works.Count; i++)
        {
            try
            {
                works[i].Run();
            }
            catch
            {
                works.Skip(i + 1).ToList().ForEach(w => w.Release?.Invoke());
                throw;
            }
        }
    }

    private static void Release(List<LayerFactors> factors) => factors.ForEach(f => f.Dispose());

    /// <summary>Adds a point of the training curves to the sinks, in order with the steps' results.</summary>
    public void AddCurve(CurvePoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        Post(new ConsumerWork(() => _sinks.AddCurve(point)));
    }

    /// <summary>
    /// Call after the last step of an epoch (optional): tests the epoch's window of the permutation test now rather
    /// than at the next epoch's first step, and flushes the sinks.
    /// </summary>
    public void EndEpoch()
    {
        if (_last is not { } last)
        {
            return;
        }
        var works = _consumers.Select(c => c.EndEpoch(last.Epoch)).OfType<ConsumerWork>().ToList();
        Post(new ConsumerWork(() => RunAll(works), () => works.ForEach(w => w.Release?.Invoke())));
        Flush();
    }

    /// <summary>Writes the sinks' buffered rows (on the background thread when there is one).</summary>
    public void Flush() => Post(new ConsumerWork(() =>
    {
        long clock = Stopwatch.GetTimestamp();
        _sinks.Flush();
        Timings.Add(IntrospectionPhase.Flushing, clock);
    }));

    /// <summary>
    /// Call after the last step: tests the open permutation window, takes the final σ(W), waits for the background
    /// work, and completes the sinks (a run folder is then marked complete).
    /// </summary>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_ended, this);
        var next = _last is { } last ? new StepInfo(last.Epoch, last.Step + 1, 0) : new StepInfo(0, 0, 0);
        var works = _consumers.Select(c => c.Complete(next)).OfType<ConsumerWork>().ToList();
        Post(new ConsumerWork(() => RunAll(works), () => works.ForEach(w => w.Release?.Invoke()),
            works.Sum(w => w.Bytes)));
        Drain();
        // Ended only once the sinks have completed: if one fails, Fail (or Dispose) still tells them why.
        _sinks.Complete();
        _ended = true;
    }

    /// <summary>
    /// Call when training fails: releases anything captured, lets the background thread finish what it was given
    /// (ignoring its errors: the run has already failed), and tells the sinks why, so that what was recorded before
    /// the failure stays readable.
    /// </summary>
    public void Fail(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        _open = null;
        _capture.Clear();
        _worker?.Quiesce();
        if (!_ended)
        {
            _ended = true;
            _sinks.Fail(error);
        }
    }

    /// <summary>
    /// Waits for the background thread to finish everything posted so far (no-op without one) and rethrows its error.
    /// </summary>
    public void Drain() => _worker?.Drain();

    /// <summary>
    /// Runs work in order with the introspection work posted so far (on the background thread when there is one):
    /// a checkpoint's flush and state go through here, so that they hold exactly the steps before it.
    /// </summary>
    internal void InOrder(Action work) => Post(new ConsumerWork(work));

    private void Post(ConsumerWork work)
    {
        if (_worker is null)
        {
            work.Run();
        }
        else
        {
            _worker.Post(new BackgroundWork(work));
        }
    }

    private sealed record BackgroundWork(ConsumerWork Work) : IntrospectionWorker.IItem
    {
        public long Bytes => Work.Bytes;

        public void Run() => Work.Run();

        public void Discard() => Work.Release?.Invoke();
    }

    /// <summary>The state a checkpoint must carry for a resumed run to record the same results (waits for the background thread).</summary>
    internal byte[] SaveState()
    {
        Drain();
        return StateInOrder();
    }

    /// <summary>
    /// <see cref="SaveState"/> without waiting: only for work run through <see cref="InOrder"/>, which sees the state
    /// exactly after the work posted before it. Each consumer with state writes its own part, by name.
    /// </summary>
    internal byte[] StateInOrder()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(StateVersion);
            w.Write(_lastInPipeline is not null);
            if (_lastInPipeline is { } last)
            {
                w.Write(last.Epoch);
                w.Write(last.Step);
            }
            var parts = _consumers.Where(c => c.HasState).ToList();
            w.Write(parts.Count);
            foreach (var c in parts)
            {
                using var part = new MemoryStream();
                using (var pw = new BinaryWriter(part, System.Text.Encoding.UTF8, leaveOpen: true))
                {
                    c.Write(pw);
                }
                w.Write(c.Name);
                w.Write(part.Length);
                w.Write(part.ToArray());
            }
        }
        return stream.ToArray();
    }

    /// <summary>Restores a state written by <see cref="SaveState"/>.</summary>
    /// <exception cref="InvalidDataException">The state is of another version or does not fit this probe.</exception>
    internal void RestoreState(byte[] state)
    {
        Drain();
        using var r = new BinaryReader(new MemoryStream(state), System.Text.Encoding.UTF8);
        int version = r.ReadInt32();
        if (version != StateVersion)
        {
            throw new InvalidDataException($"introspection state version {version}, this version of AutoSpec reads {StateVersion}");
        }
        StepInfo? last = r.ReadBoolean() ? new StepInfo(r.ReadInt32(), r.ReadInt64(), 0) : null;
        int count = r.ReadInt32();
        var parts = new Dictionary<string, byte[]>();
        for (int i = 0; i < count; i++)
        {
            var name = r.ReadString();
            long length = r.ReadInt64();
            if (length < 0 || length > r.BaseStream.Length - r.BaseStream.Position)
            {
                throw new InvalidDataException($"introspection state part '{name}' of {length} bytes");
            }
            parts[name] = r.ReadBytes((int)length);
        }
        if (r.BaseStream.Position != r.BaseStream.Length)
        {
            throw new InvalidDataException("trailing bytes after the introspection state");
        }
        var expected = _consumers.Where(c => c.HasState).Select(c => c.Name).ToHashSet();
        if (parts.Keys.FirstOrDefault(k => !expected.Contains(k)) is { } extra)
        {
            throw new InvalidDataException($"the checkpoint holds state of '{extra}', which this configuration does not run (was the online permutation test on when it was written?)");
        }
        if (expected.FirstOrDefault(k => !parts.ContainsKey(k)) is { } missing)
        {
            throw new InvalidDataException($"the checkpoint holds no state of '{missing}' (was the online permutation test off when it was written?)");
        }
        foreach (var c in _consumers.Where(c => c.HasState))
        {
            using var pr = new BinaryReader(new MemoryStream(parts[c.Name]), System.Text.Encoding.UTF8);
            c.Read(pr);
            if (pr.BaseStream.Position != pr.BaseStream.Length)
            {
                throw new InvalidDataException($"trailing bytes after the state of '{c.Name}'");
            }
        }
        _last = _lastInPipeline = last;
    }

    /// <summary>
    /// Ends the probe. Without <see cref="Complete"/> or <see cref="Fail"/> the run was abandoned: the sinks are told
    /// so (a run folder is then marked failed, its rows kept).
    /// </summary>
    public void Dispose()
    {
        if (!_ended)
        {
            Fail(new InvalidOperationException("the probe was disposed before Complete(): training did not finish"));
        }
        _worker?.Dispose();
        _spectraWorkers?.Dispose();
        _capture.Dispose();
    }
}
