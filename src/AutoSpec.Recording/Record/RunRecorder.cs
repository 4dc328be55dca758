using System.Text.Json;
using System.Text.Json.Nodes;
using AutoSpec.Introspection;
using AutoSpec.Permutation;
using AutoSpec.Spectra;

namespace AutoSpec.Record;

/// <summary>
/// The Parquet run sink: writes what an <see cref="IntrospectionProbe"/> measures into a run folder — spectra,
/// metrics, curves and permutation tables (flushed as part files during training, merged at the end) and the
/// manifest — that <c>autospec report</c>, <c>analyze</c> and <c>query</c> read.
/// </summary>
/// <remarks>
/// Thread-safe: a training loop may add curves from its own thread while introspection's background thread adds
/// spectra and flushes (the probe's <see cref="IntrospectionProbe.AddCurve"/> keeps them in step order).
/// </remarks>
public sealed class RunRecorder : IIntrospectionSink
{
    private readonly SpectraTable _spectra;
    private readonly MetricsTable _metrics;
    private readonly CurvesTable _curves;
    private readonly Lock _gate = new();
    private readonly IDisposable? _ownedLock;
    private PermutationsTable? _permutations;
    private int _flushRows = new IntrospectionOptions().FlushRows;
    private int _metricTopK = new IntrospectionOptions().MetricTopK;
    private int? _topK;
    private bool _started;

    /// <summary>
    /// Records into a folder the caller has prepared, with the caller's manifest (the command line's trainer, which
    /// locks and checks the folder itself); the manifest is saved when a probe starts the recorder.
    /// </summary>
    internal RunRecorder(string directory, RunManifest manifest)
    {
        Directory = directory;
        Manifest = manifest;
        Identity = new RunIdentity(manifest.Run, manifest.Fold, manifest.Seed);
        _spectra = new SpectraTable(directory);
        _metrics = new MetricsTable(directory);
        _curves = new CurvesTable(directory);
    }

    private RunRecorder(string directory, RunManifest manifest, IDisposable ownedLock)
        : this(directory, manifest) => _ownedLock = ownedLock;

    /// <summary>
    /// A run folder for a caller's own training loop: creates <paramref name="folder"/> (refusing one that holds
    /// files other than an earlier run's, and an earlier run unless <see cref="RunDescription.Overwrite"/>), locks it
    /// while the run is written, and writes a manifest that says what <paramref name="description"/> says was run.
    /// </summary>
    /// <exception cref="ArgumentException">The folder cannot be used (the message says why).</exception>
    public static RunRecorder Create(string folder, RunDescription? description = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        description ??= new RunDescription();
        var (directory, runLock) = RunFolder.Prepare(folder, description.Overwrite);
        var manifest = new RunManifest
        {
            Run = description.RunId ?? Path.GetFileName(directory),
            Seed = description.Seed,
            Fold = description.Fold,
            Configuration = [],
            Description = new Dictionary<string, string>(description.Details),
            Versions = RunVersions.Current(),
        };
        return new RunRecorder(directory, manifest, runLock);
    }

    /// <summary>The run folder.</summary>
    public string Directory { get; }

    /// <summary>The manifest (saved at every flush).</summary>
    internal RunManifest Manifest { get; }

    /// <summary>Run, fold and seed written with every row.</summary>
    internal RunIdentity Identity { get; }

    /// <summary>Steps whose spectra were recorded.</summary>
    public long RecordedSteps { get; private set; }

    /// <summary>The run folder.</summary>
    string? IIntrospectionSink.Folder => Directory;

    /// <summary>Takes the probe's options (flush size, top-k, the permutation tables) and saves the manifest as "running".</summary>
    /// <exception cref="InvalidOperationException">The recorder was started already (one probe per run folder).</exception>
    public void Start(ProbeDescription probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        lock (_gate)
        {
            if (_started)
            {
                throw new InvalidOperationException($"the recorder of '{Directory}' already records a probe's results");
            }
            _started = true;
            var options = probe.Options;
            _flushRows = options.FlushRows;
            _metricTopK = options.MetricTopK;
            _topK = options.TopK;
            _permutations = options.Permutations > 0 ? new PermutationsTable(Directory) : null;
            foreach (var (name, shape) in probe.Layers)
            {
                Manifest.Layers.TryAdd(name, shape);
            }
            Manifest.Threads.TryAdd("background", probe.BackgroundThreads);
            Manifest.Threads.TryAdd("spectra_workers", probe.SpectraWorkers);
            Manifest.Threads.TryAdd("training_computes_spectra", probe.TrainingThreadHelps ? 1 : 0);
            Manifest.Warnings.AddRange(probe.Warnings.Except(Manifest.Warnings));
            if (!Manifest.Configuration.ContainsKey("introspection"))
            {
                Manifest.Configuration["introspection"] = JsonSerializer.SerializeToNode(options, RunManifest.Json);
            }
            Manifest.Save(Directory);
        }
    }

    /// <summary>Records the spectra and metrics of every group (and "all") of one layer and step.</summary>
    public void AddGroupSpectra(StepInfo step, string layer, string layerKind, IReadOnlyList<GroupSpectra> spectra)
    {
        foreach (var s in spectra)
        {
            foreach (var q in SpectrumQuantityNames.Single)
            {
                var sigma = s.Of(q);
                if (sigma is null)
                {
                    continue;
                }
                var g = s.Group;
                double normaliser = MetricNormaliser.Of(q, step.BatchSamples, g);
                Add(step, layer, layerKind, g.Group, g.SampleCount, g.RowCount, q, s.RouteOf(q).ToString().ToLowerInvariant(), sigma, normaliser);
            }
        }
    }

    /// <summary>Records that a group had no sample in this step's batch (a metrics row with present = false).</summary>
    public void AddAbsentGroup(StepInfo step, string layer, string layerKind, string group, SpectrumQuantities quantities)
    {
        lock (_gate)
        {
            foreach (var q in SpectrumQuantityNames.Single.Where(q => q != SpectrumQuantities.Weight && quantities.HasFlag(q)))
            {
                _metrics.Add(Identity, step, layer, layerKind, group, 0, 0, SpectrumQuantityNames.Name(q), "none", null, null, null);
            }
        }
    }

    /// <summary>Records σ(W) of one layer.</summary>
    public void AddWeightSpectrum(StepInfo step, string layer, string layerKind, double[] sigma) =>
        Add(step, layer, layerKind, "all", null, null, SpectrumQuantities.Weight, "svd", sigma, null);

    private void Add(StepInfo step, string layer, string layerKind, string group, int? size, int? rows,
        SpectrumQuantities q, string route, double[] sigma, double? normaliser)
    {
        string quantity = SpectrumQuantityNames.Name(q);
        var kept = _topK is int k && sigma.Length > k ? sigma[..k] : sigma;
        var summary = SpectrumSummary.Of(sigma, _metricTopK);
        lock (_gate)
        {
            _spectra.Add(Identity, step, layer, layerKind, group, size, rows, quantity, route, kept);
            _metrics.Add(Identity, step, layer, layerKind, group, size, rows, quantity, route, sigma.Length, summary, normaliser);
        }
    }

    /// <summary>Records the online permutation test of one layer, window, metric and pair of groups.</summary>
    public void AddPermutation(PermutationWindowInfo window, string layer, string layerKind, string metric, string groupA,
        string groupB, PairPermutationResult pair, string? note) =>
        Locked(() => PermutationRows.Add(Identity, window, layer, layerKind, metric, groupA, groupB, pair.SubjectsA, pair.SubjectsB,
            pair.UniverseA, pair.UniverseB, pair.Result, note ?? ""));

    /// <summary>Records that a layer's window could not be tested (a row with null statistic and p).</summary>
    public void AddPermutationNote(PermutationWindowInfo window, string layer, string layerKind, string metric, string note) =>
        Locked(() => PermutationRows.Add(Identity, window, layer, layerKind, metric, "", "", 0, 0, 0, 0, PermutationResult.None, note));

    private PermutationsTable PermutationRows =>
        _permutations ?? throw new InvalidOperationException("permutation rows need a probe whose options have Permutations > 0");

    /// <summary>Counts a recorded step and flushes when enough rows are buffered.</summary>
    public void EndStep(bool recorded)
    {
        lock (_gate)
        {
            if (recorded)
            {
                RecordedSteps++;
            }
            if (_spectra.Table.BufferedRows + _metrics.Table.BufferedRows >= _flushRows)
            {
                Flush();
            }
        }
    }

    /// <summary>Adds a point of the training curves.</summary>
    public void AddCurve(CurvePoint point) =>
        Locked(() => _curves.Add(Identity, point.Epoch, point.Step, point.Split, point.Group, point.Samples, point.Loss, point.Accuracy, point.Auc));

    private void Locked(Action add)
    {
        lock (_gate)
        {
            add();
        }
    }

    /// <summary>Writes buffered rows as part files and updates the manifest's progress.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            foreach (var t in Tables)
            {
                t.FlushAsync().GetAwaiter().GetResult();
                Manifest.Progress[t.Name + "_rows"] = t.FlushedRows;
            }
            Manifest.Progress["recorded_steps"] = RecordedSteps;
            Manifest.Save(Directory);
        }
    }

    /// <summary>Where the recorder stands after a <see cref="Flush"/> (what a checkpoint stores).</summary>
    /// <exception cref="InvalidOperationException">Rows are still buffered.</exception>
    internal RecorderPosition Position
    {
        get
        {
            using var held = _gate.EnterScope();
            if (Tables.Any(t => t.BufferedRows > 0))
            {
                throw new InvalidOperationException("the recorder position is only defined right after a flush");
            }
            return new RecorderPosition(Tables.ToDictionary(t => t.Name, t => t.Parts),
                Tables.ToDictionary(t => t.Name, t => t.FlushedRows), RecordedSteps);
        }
    }

    /// <summary>
    /// Continues a resumed run at <paramref name="position"/>: part files written after it are deleted, so the steps
    /// redone from the checkpoint are recorded exactly once.
    /// </summary>
    /// <exception cref="InvalidInputException">A part file the position counts is missing.</exception>
    internal void Restore(RecorderPosition position)
    {
        lock (_gate)
        {
            foreach (var t in Tables)
            {
                t.Restore(position.Parts.GetValueOrDefault(t.Name), position.Rows.GetValueOrDefault(t.Name));
            }
            RecordedSteps = position.RecordedSteps;
            Flush();
        }
    }

    /// <summary>Merges the part files into the final tables and marks the run complete.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            Flush();
            // Every table is merged before any part is deleted: a run killed in between still resumes from its parts.
            foreach (var t in Tables)
            {
                t.MergeAsync().GetAwaiter().GetResult();
            }
            Finish("complete", null);
            foreach (var t in Tables)
            {
                t.DeleteParts();
            }
        }
        ReleaseLock();
    }

    /// <summary>Flushes what can be flushed and marks the run failed (the part files stay readable).</summary>
    public void Fail(Exception error)
    {
        try
        {
            Flush();
        }
        catch (Exception)
        {
            // The original error matters more than a failed flush.
        }
        Finish("failed", error.Message);
        ReleaseLock();
    }

    /// <summary>Releases the lock of a folder made by <see cref="Create"/> (the trainer holds its own).</summary>
    private void ReleaseLock()
    {
        if (_ownedLock is not null)
        {
            _ownedLock.Dispose();
            File.Delete(Path.Combine(Directory, RunFiles.Lock));
        }
    }

    private void Finish(string status, string? error)
    {
        using var held = _gate.EnterScope();
        Manifest.Status = status;
        Manifest.Error = error;
        Manifest.EndedUtc = DateTime.UtcNow;
        Manifest.DurationSeconds = (Manifest.EndedUtc.Value - Manifest.StartedUtc).TotalSeconds;
        Manifest.Save(Directory);
    }

    /// <summary>The tables, in the order they are flushed.</summary>
    internal IEnumerable<PartitionedParquetTable> Tables =>
        _permutations is null
            ? [_spectra.Table, _metrics.Table, _curves.Table]
            : [_spectra.Table, _metrics.Table, _curves.Table, _permutations.Table, _permutations.Null.Table];
}
