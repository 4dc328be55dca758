using AutoSpec.Introspection;
using AutoSpec.Permutation;
using AutoSpec.Spectra;

namespace AutoSpec.Record;

/// <summary>
/// Writes what an <see cref="IntrospectionProbe"/> measures as TensorBoard scalars (an event file of TorchSharp's
/// TensorBoard types, <see cref="TensorBoardEventFile"/>), so that spectra and group differences can be watched while
/// a run trains: <c>tensorboard --logdir DIR</c>. The file is flushed at every step's end, and nothing is kept in
/// memory beyond the values of one call.
/// </summary>
/// <remarks>
/// Tags (TensorBoard puts the part before the first '/' into one section and sorts the charts by name, so a metric's
/// groups and their difference sit side by side):
/// <list type="bullet">
/// <item><c>QUANTITY/LAYER/METRIC/GROUP</c>: the metric of one group's spectrum (and of <c>all</c>) at a recorded
/// step, as in metrics.parquet; QUANTITY is grad, act, delta or weight, METRIC each of
/// <see cref="SpectralMetrics.DescriptiveDefaults"/>.</item>
/// <item><c>QUANTITY/LAYER/METRIC/diff/B-A</c>: metric(B) − metric(A) for every pair of groups A &lt; B (ordinal
/// order of the names, as the permutation test pairs them), at steps where both are in the batch.</item>
/// <item><c>loss/SPLIT</c>, <c>accuracy/SPLIT</c>, <c>auc/SPLIT</c>: the training curves (SPLIT = train_step, train,
/// validation, or validation_group/GROUP for each group's own validation samples).</item>
/// <item><c>permutation/LAYER/METRIC/B-A/z</c> and <c>…/p</c>: the online permutation test of each window, at the
/// window's last step.</item>
/// </list>
/// A '/' in a layer or group name is written as '_'. Values are float32 (TensorBoard's scalar type).
/// </remarks>
public sealed class TensorBoardSink : IIntrospectionSink, IDisposable
{
    private readonly Lock _gate = new();
    private readonly TensorBoardEventFile _file;
    private readonly List<(string Tag, float Value)> _values = [];
    private IReadOnlyList<string> _groups = [];
    private int _metricTopK = new IntrospectionOptions().MetricTopK;

    /// <summary>Writes event files into <paramref name="directory"/> (created when missing; files in it are left alone).</summary>
    /// <param name="directory">The folder of this run's event files, e.g. <c>tb/run-1</c> for <c>tensorboard --logdir tb</c>.</param>
    /// <exception cref="InvalidInputException"><paramref name="directory"/> is a file.</exception>
    public TensorBoardSink(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        CheckFolder(directory);
        Directory = Path.GetFullPath(directory);
        _file = new TensorBoardEventFile(Directory);
    }

    /// <summary>The folder of the event files.</summary>
    public string Directory { get; }

    /// <summary>The metrics written per group and quantity.</summary>
    public static IReadOnlyList<SpectralMetric> Metrics => SpectralMetrics.DescriptiveDefaults;

    /// <summary>A name as it appears inside a tag: '/' separates a tag's parts, so it becomes '_'.</summary>
    public static string TagPart(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Replace('/', '_');
    }

    /// <summary>Refuses a <paramref name="directory"/> that cannot hold event files because it is a file.</summary>
    /// <exception cref="InvalidInputException"><paramref name="directory"/> is a file.</exception>
    public static void CheckFolder(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (File.Exists(directory))
        {
            throw new InvalidInputException(
                $"'{Path.GetFullPath(directory)}' is a file; TensorBoard event files go into a folder.");
        }
    }

    /// <summary>Takes the group names (for the pairs of differences) and the K of the top-K metrics.</summary>
    public void Start(ProbeDescription probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        lock (_gate)
        {
            _groups = [.. probe.Groups.Order(StringComparer.Ordinal)];
            _metricTopK = probe.Options.MetricTopK;
        }
    }

    /// <summary>Writes the metrics of every group (and "all") and the differences of every pair of present groups.</summary>
    public void AddGroupSpectra(StepInfo step, string layer, string layerKind, IReadOnlyList<GroupSpectra> spectra)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(spectra);
        lock (_gate)
        {
            foreach (var q in SpectrumQuantityNames.Single)
            {
                var values = new Dictionary<string, double?[]>(StringComparer.Ordinal);
                foreach (var s in spectra)
                {
                    if (s.Of(q) is not { } sigma)
                    {
                        continue;
                    }
                    var summary = SpectrumSummary.Of(sigma, _metricTopK);
                    double normaliser = MetricNormaliser.Of(q, step.BatchSamples, s.Group);
                    values[s.Group.Group] = [.. Metrics.Select(m => m.Of(summary, normaliser))];
                }
                AddGroups(SpectrumQuantityNames.Name(q), layer, values);
            }
            Emit(step.Step);
        }
    }

    private void AddGroups(string quantity, string layer, Dictionary<string, double?[]> values)
    {
        if (values.Count == 0)
        {
            return;
        }
        string prefix = $"{quantity}/{TagPart(layer)}/";
        for (int m = 0; m < Metrics.Count; m++)
        {
            string metricPrefix = prefix + Metrics[m].Name + "/";
            foreach (var (group, metrics) in values)
            {
                Scalar(metricPrefix + TagPart(group), metrics[m]);
            }
            for (int a = 0; a < _groups.Count; a++)
            {
                for (int b = a + 1; b < _groups.Count; b++)
                {
                    if (values.TryGetValue(_groups[a], out var va) && values.TryGetValue(_groups[b], out var vb)
                        && va[m] is double ma && vb[m] is double mb)
                    {
                        Scalar($"{metricPrefix}diff/{TagPart(_groups[b])}-{TagPart(_groups[a])}", mb - ma);
                    }
                }
            }
        }
    }

    /// <summary>Nothing to draw for an absent group: its line has a gap at this step.</summary>
    public void AddAbsentGroup(StepInfo step, string layer, string layerKind, string group, SpectrumQuantities quantities)
    {
    }

    /// <summary>Writes the metrics of σ(W) (group "all"; the per-sample metrics have no meaning for it and are left out).</summary>
    public void AddWeightSpectrum(StepInfo step, string layer, string layerKind, double[] sigma)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(sigma);
        lock (_gate)
        {
            var summary = SpectrumSummary.Of(sigma, _metricTopK);
            AddGroups(SpectrumQuantityNames.Name(SpectrumQuantities.Weight), layer,
                new(StringComparer.Ordinal) { ["all"] = [.. Metrics.Select(m => m.Of(summary, null))] });
            Emit(step.Step);
        }
    }

    /// <summary>Writes z and p of one window's test at the window's last step.</summary>
    public void AddPermutation(PermutationWindowInfo window, string layer, string layerKind, string metric, string groupA,
        string groupB, PairPermutationResult pair, string? note)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(pair);
        lock (_gate)
        {
            string prefix = $"permutation/{TagPart(layer)}/{metric}/{TagPart(groupB)}-{TagPart(groupA)}/";
            Scalar(prefix + "z", pair.Result.Z);
            Scalar(prefix + "p", pair.Result.PValue);
            Emit(window.LastStep);
        }
    }

    /// <summary>An untested window has no value to draw.</summary>
    public void AddPermutationNote(PermutationWindowInfo window, string layer, string layerKind, string metric, string note)
    {
    }

    /// <summary>Writes loss, accuracy and AUC (when defined) of one point of the curves.</summary>
    public void AddCurve(CurvePoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        lock (_gate)
        {
            // A group's own validation curve is a chart of its own: validation_group/GROUP.
            string split = point.Group == CurvePoint.AllGroups ? TagPart(point.Split) : TagPart(point.Split) + "/" + TagPart(point.Group);
            Scalar("loss/" + split, point.Loss);
            Scalar("accuracy/" + split, point.Accuracy);
            Scalar("auc/" + split, point.Auc);
            Emit(point.Step);
        }
    }

    /// <summary>Flushes the event file, so that TensorBoard sees the step.</summary>
    public void EndStep(bool recorded) => Locked(_file.Flush);

    /// <summary>Flushes the event file.</summary>
    public void Flush() => Locked(_file.Flush);

    /// <summary>Closes the event file.</summary>
    public void Complete() => Dispose();

    /// <summary>Closes the event file; what was written stays, and TensorBoard shows the run up to its last step.</summary>
    public void Fail(Exception error) => Dispose();

    /// <summary>Closes the event file (once; later calls do nothing).</summary>
    public void Dispose() => Locked(_file.Dispose);

    private void Locked(Action action)
    {
        lock (_gate)
        {
            action();
        }
    }

    private void Scalar(string tag, double? value)
    {
        // float32 is TensorBoard's scalar type; a value that is not finite (an undefined metric) is left out, a gap.
        if (value is double v && double.IsFinite(v))
        {
            _values.Add((tag, (float)v));
        }
    }

    private void Emit(long step)
    {
        _file.WriteScalars(step, _values);
        _values.Clear();
    }
}
