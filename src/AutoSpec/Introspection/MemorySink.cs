using AutoSpec.Permutation;
using AutoSpec.Spectra;

namespace AutoSpec.Introspection;

/// <summary>
/// Keeps everything a probe measures in memory, for a caller who wants the numbers rather than a run folder (a
/// notebook, a test, a custom logger). Memory grows with the steps recorded: for long runs prefer
/// <c>RunRecorder</c> (AutoSpec.Recording), or record fewer steps (<see cref="IntrospectionOptions.Every"/>).
/// </summary>
/// <remarks>Read the lists after <see cref="IntrospectionProbe.Complete"/> or <see cref="IntrospectionProbe.Drain"/>: the probe's background thread adds to them.</remarks>
public sealed class MemorySink : IIntrospectionSink
{
    private readonly List<Spectrum> _spectra = [];
    private readonly List<AbsentGroup> _absent = [];
    private readonly List<Permutation> _permutations = [];
    private readonly List<CurvePoint> _curves = [];

    /// <summary>One singular value spectrum: of a group's G, A or Δ (per step), or of a layer's weight (group "all").</summary>
    /// <param name="Step">Where in training.</param>
    /// <param name="Layer">Layer name.</param>
    /// <param name="LayerKind">Layer kind ("linear", "conv1d", …).</param>
    /// <param name="Group">Group name, or "all" for the whole batch.</param>
    /// <param name="Samples">Samples of the group in the batch (null for σ(W)).</param>
    /// <param name="Rows">Rows of the group's factors (null for σ(W)).</param>
    /// <param name="Quantity">Grad, Act, Delta or Weight.</param>
    /// <param name="Route">The route that computed it ("svd" for σ(W)).</param>
    /// <param name="Sigma">Singular values, descending.</param>
    public sealed record Spectrum(StepInfo Step, string Layer, string LayerKind, string Group, int? Samples, int? Rows,
        SpectrumQuantities Quantity, string Route, double[] Sigma);

    /// <summary>A group with no sample in a step's batch.</summary>
    public sealed record AbsentGroup(StepInfo Step, string Layer, string Group);

    /// <summary>A permutation test of one layer, window, metric and pair (null pair: not tested, see the note).</summary>
    public sealed record Permutation(PermutationWindowInfo Window, string Layer, string Metric, string GroupA, string GroupB,
        PairPermutationResult? Pair, string? Note);

    /// <summary>What the probe said it records.</summary>
    public ProbeDescription? Probe { get; private set; }

    /// <summary>Spectra in the order they were measured.</summary>
    public IReadOnlyList<Spectrum> Spectra => _spectra;

    /// <summary>Groups absent from a step's batch.</summary>
    public IReadOnlyList<AbsentGroup> AbsentGroups => _absent;

    /// <summary>Permutation tests, window by window.</summary>
    public IReadOnlyList<Permutation> Permutations => _permutations;

    /// <summary>Training curves the loop reported.</summary>
    public IReadOnlyList<CurvePoint> Curves => _curves;

    /// <summary>Steps ended, and how many of them had their spectra recorded.</summary>
    public (long Steps, long Recorded) StepCounts { get; private set; }

    /// <summary>"complete", "failed: …", or null while the run goes on.</summary>
    public string? Status { get; private set; }

    /// <inheritdoc />
    public void Start(ProbeDescription probe) => Probe = probe;

    /// <inheritdoc />
    public void AddGroupSpectra(StepInfo step, string layer, string layerKind, IReadOnlyList<GroupSpectra> spectra)
    {
        foreach (var s in spectra)
        {
            foreach (var q in SpectrumQuantityNames.Single)
            {
                if (s.Of(q) is { } sigma)
                {
                    _spectra.Add(new Spectrum(step, layer, layerKind, s.Group.Group, s.Group.SampleCount, s.Group.RowCount, q,
                        s.RouteOf(q).ToString().ToLowerInvariant(), sigma));
                }
            }
        }
    }

    /// <inheritdoc />
    public void AddAbsentGroup(StepInfo step, string layer, string layerKind, string group, SpectrumQuantities quantities) =>
        _absent.Add(new AbsentGroup(step, layer, group));

    /// <inheritdoc />
    public void AddWeightSpectrum(StepInfo step, string layer, string layerKind, double[] sigma) =>
        _spectra.Add(new Spectrum(step, layer, layerKind, "all", null, null, SpectrumQuantities.Weight, "svd", sigma));

    /// <inheritdoc />
    public void AddPermutation(PermutationWindowInfo window, string layer, string layerKind, string metric, string groupA,
        string groupB, PairPermutationResult pair, string? note) =>
        _permutations.Add(new Permutation(window, layer, metric, groupA, groupB, pair, note));

    /// <inheritdoc />
    public void AddPermutationNote(PermutationWindowInfo window, string layer, string layerKind, string metric, string note) =>
        _permutations.Add(new Permutation(window, layer, metric, "", "", null, note));

    /// <inheritdoc />
    public void AddCurve(CurvePoint point) => _curves.Add(point);

    /// <inheritdoc />
    public void EndStep(bool recorded) => StepCounts = (StepCounts.Steps + 1, StepCounts.Recorded + (recorded ? 1 : 0));

    /// <inheritdoc />
    public void Flush()
    {
    }

    /// <inheritdoc />
    public void Complete() => Status = "complete";

    /// <inheritdoc />
    public void Fail(Exception error) => Status = "failed: " + error.Message;
}
