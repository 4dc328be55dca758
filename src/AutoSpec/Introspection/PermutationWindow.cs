using AutoSpec.Capture;
using AutoSpec.Permutation;
using AutoSpec.Spectra;

namespace AutoSpec.Introspection;

/// <summary>
/// The online within-run permutation test (DESIGN.md): while a window of steps is open it keeps, per layer and
/// recorded step, the Gram blocks of <see cref="SubjectGram"/>; when the window closes it tests every pair of groups
/// with <see cref="GramPermutationTest.RunPairs"/>, hands the rows to the recorder and drops the blocks, so memory
/// depends on the window's length, never on the number of windows.
/// </summary>
internal sealed class PermutationWindow
{
    private readonly IntrospectionOptions _options;
    private readonly IReadOnlyList<string> _groupNames;
    private readonly IReadOnlyList<int>? _universe;
    private readonly Dictionary<(int, int), SubjectRelabelling> _relabellings = [];
    private readonly Dictionary<int, int> _subjects = [];
    private readonly List<int> _subjectIds = [];
    private readonly List<int> _subjectGroup = [];
    private readonly Dictionary<string, LayerWindow> _layers = [];
    private readonly List<string> _layerOrder = [];
    private long _window = -1;
    private int _epoch;
    private long _firstStep;
    private long _lastStep;
    private int _mixedSubjects;

    /// <param name="options">Permutations, window, metrics and seed.</param>
    /// <param name="groupNames">Names of the groups (they seed the relabellings, see <see cref="SubjectRelabelling"/>).</param>
    /// <param name="universe">
    /// Group of every subject id the steps will name (negative: in no single group), e.g. of every subject of the
    /// data set: the relabellings exchange labels over all of them, so that every run on these subjects evaluates the
    /// same relabellings. Null: over the subjects each window sees.
    /// </param>
    public PermutationWindow(IntrospectionOptions options, IReadOnlyList<string> groupNames, IReadOnlyList<int>? universe = null)
    {
        _options = options;
        _groupNames = groupNames;
        _universe = universe;
    }

    /// <summary>Whether a window is open with steps in it.</summary>
    public bool IsOpen => _window >= 0;

    /// <summary>Layer steps whose blocks are held (what the memory grows with inside a window).</summary>
    public int HeldSteps => _layers.Values.Sum(l => l.Steps.Count);

    /// <summary>Subjects known in the open window.</summary>
    public int HeldSubjects => _subjectGroup.Count;

    /// <summary>Window of a step: its epoch, or step / W for a window of W steps.</summary>
    public long WindowOf(StepInfo step) => _options.PermutationWindow is int w ? step.Step / w : step.Epoch;

    /// <summary>Adds one layer's blocks of a recorded step (opening the window at its first step).</summary>
    /// <param name="step">The step.</param>
    /// <param name="factors">A and Δ of the layer.</param>
    /// <param name="sampleGroup">Group index of every batch sample.</param>
    /// <param name="sampleSubject">Subject id (any integer unique per subject, stable over the run) of every batch sample.</param>
    public void Add(StepInfo step, LayerFactors factors, int[] sampleGroup, int[] sampleSubject)
    {
        if (!IsOpen)
        {
            _window = WindowOf(step);
            _epoch = step.Epoch;
            _firstStep = step.Step;
        }
        _lastStep = step.Step;
        var local = new int[sampleSubject.Length];
        for (int i = 0; i < sampleSubject.Length; i++)
        {
            if (!_subjects.TryGetValue(sampleSubject[i], out int s))
            {
                if (_universe is not null && (sampleSubject[i] < 0 || sampleSubject[i] >= _universe.Count))
                {
                    throw new ArgumentException($"subject {sampleSubject[i]} is not one of the {_universe.Count} subjects of the permutation test");
                }
                _subjects[sampleSubject[i]] = s = _subjectGroup.Count;
                _subjectIds.Add(sampleSubject[i]);
                _subjectGroup.Add(sampleGroup[i]);
            }
            else if (_subjectGroup[s] >= 0 && _subjectGroup[s] != sampleGroup[i])
            {
                // A subject whose samples sit in different groups has no single label to permute.
                _subjectGroup[s] = -1;
                _mixedSubjects++;
            }
            local[i] = s;
        }
        if (!_layers.TryGetValue(factors.Layer, out var layer))
        {
            _layers[factors.Layer] = layer = new LayerWindow(factors.LayerKind);
            _layerOrder.Add(factors.Layer);
        }
        if (layer.TooManyRows is not null)
        {
            return;
        }
        var (gram, rows) = SubjectGram.Build(factors, local, _options.PermutationMaxRows);
        if (gram is null)
        {
            // Dropping the layer for the whole window keeps every test on the same steps as its neighbours.
            layer.Steps.Clear();
            layer.TooManyRows = rows;
            return;
        }
        layer.Steps.Add(gram);
    }

    /// <summary>Tests every layer × pair of the open window, records the rows and releases the blocks.</summary>
    public void Close(IIntrospectionSink recorder)
    {
        if (!IsOpen)
        {
            return;
        }
        var window = new PermutationWindowInfo(_epoch, _firstStep, _lastStep);
        foreach (var name in _layerOrder)
        {
            var layer = _layers[name];
            if (layer.TooManyRows is int rows)
            {
                foreach (var metric in _options.PermutationMetrics)
                {
                    recorder.AddPermutationNote(window, name, layer.Kind, metric,
                        $"not tested: {rows} subject rows per step exceed permutation_max_rows = {_options.PermutationMaxRows}");
                }
                continue;
            }
            string? note = _mixedSubjects > 0 ? $"{Plural.Of(_mixedSubjects, "subject")} with samples in several groups left out" : null;
            foreach (var metric in _options.PermutationMetrics)
            {
                var results = _universe is null
                    ? GramPermutationTest.RunPairs(layer.Steps, _subjectGroup, Enumerable.Range(0, _subjectGroup.Count).ToArray(),
                        (a, b) => Relabelling(_subjectGroup, a, b), _groupNames.Count, metric, shared: false)
                    : GramPermutationTest.RunPairs(layer.Steps, _subjectGroup, _subjectIds, RunRelabelling, _groupNames.Count, metric, shared: true);
                foreach (var r in results)
                {
                    recorder.AddPermutation(window, name, layer.Kind, metric, _groupNames[r.GroupA], _groupNames[r.GroupB], r, note);
                }
            }
        }
        Reset();
    }

    /// <summary>
    /// Writes the open window (nothing but a flag when none is open) so that a run resumed from a checkpoint taken
    /// inside it tests exactly the blocks an uninterrupted run would.
    /// </summary>
    public void Write(BinaryWriter w)
    {
        w.Write(IsOpen);
        if (!IsOpen)
        {
            return;
        }
        w.Write(_window);
        w.Write(_epoch);
        w.Write(_firstStep);
        w.Write(_lastStep);
        w.Write(_mixedSubjects);
        w.Write(_subjects.Count);
        foreach (var (id, local) in _subjects)
        {
            w.Write(id);
            w.Write(local);
        }
        w.Write(_subjectGroup.Count);
        foreach (int g in _subjectGroup)
        {
            w.Write(g);
        }
        w.Write(_layerOrder.Count);
        foreach (var name in _layerOrder)
        {
            var layer = _layers[name];
            w.Write(name);
            w.Write(layer.Kind);
            w.Write(layer.TooManyRows ?? -1);
            w.Write(layer.Steps.Count);
            foreach (var step in layer.Steps)
            {
                step.Write(w);
            }
        }
    }

    /// <summary>The run's relabellings of a pair over the universe, drawn once and shared by every window and layer.</summary>
    private SubjectRelabelling RunRelabelling(int a, int b)
    {
        if (!_relabellings.TryGetValue((a, b), out var r))
        {
            _relabellings[(a, b)] = r = Relabelling(_universe!, a, b);
        }
        return r;
    }

    private SubjectRelabelling Relabelling(IReadOnlyList<int> groups, int a, int b) =>
        SubjectRelabelling.Of(groups, a, b, _groupNames[a], _groupNames[b], _options.Permutations, _options.PermutationSeed);

    /// <summary>Forgets the window: no blocks, no subjects, nothing open.</summary>
    private void Reset()
    {
        _layers.Clear();
        _layerOrder.Clear();
        _subjects.Clear();
        _subjectIds.Clear();
        _subjectGroup.Clear();
        _mixedSubjects = 0;
        _window = -1;
    }

    /// <summary>Replaces the state with a window written by <see cref="Write"/> (or none).</summary>
    /// <exception cref="InvalidDataException">The data do not describe a window of these groups.</exception>
    public void Read(BinaryReader r)
    {
        Reset();
        if (!r.ReadBoolean())
        {
            return;
        }
        long window = r.ReadInt64();
        if (window < 0)
        {
            throw new InvalidDataException($"open window with id {window}");
        }
        _epoch = r.ReadInt32();
        _firstStep = r.ReadInt64();
        _lastStep = r.ReadInt64();
        _mixedSubjects = r.ReadInt32();
        int subjects = Count(r);
        for (int i = 0; i < subjects; i++)
        {
            int subject = r.ReadInt32();
            if (!_subjects.TryAdd(subject, r.ReadInt32()))
            {
                throw new InvalidDataException($"subject {subject} listed twice in the open window");
            }
        }
        _subjectIds.AddRange(_subjects.OrderBy(p => p.Value).Select(p => p.Key));
        int groups = Count(r);
        for (int i = 0; i < groups; i++)
        {
            int g = r.ReadInt32();
            if (g < -1 || g >= _groupNames.Count)
            {
                throw new InvalidDataException($"subject of group {g}, but the run has {_groupNames.Count} groups");
            }
            _subjectGroup.Add(g);
        }
        if (subjects != groups || _subjects.Values.Any(s => s < 0 || s >= groups))
        {
            throw new InvalidDataException("the window's subject map and subject groups disagree");
        }
        int layers = Count(r);
        for (int l = 0; l < layers; l++)
        {
            var name = r.ReadString();
            var layer = new LayerWindow(r.ReadString());
            int tooMany = r.ReadInt32();
            layer.TooManyRows = tooMany >= 0 ? tooMany : null;
            int steps = Count(r);
            for (int i = 0; i < steps; i++)
            {
                var step = GramStep.Read(r);
                if (step.Subjects.Any(s => s >= groups))
                {
                    throw new InvalidDataException($"layer '{name}' has rows of a subject the window does not know");
                }
                layer.Steps.Add(step);
            }
            _layers.Add(name, layer);
            _layerOrder.Add(name);
        }
        _window = window;
    }

    private static int Count(BinaryReader r)
    {
        int n = r.ReadInt32();
        return n >= 0 ? n : throw new InvalidDataException($"negative count {n}");
    }

    /// <summary>The blocks of one layer in the open window.</summary>
    private sealed class LayerWindow(string kind)
    {
        public string Kind { get; } = kind;

        public List<GramStep> Steps { get; } = [];

        public int? TooManyRows { get; set; }
    }
}
