using AutoSpec.Permutation;
using AutoSpec.Spectra;

namespace AutoSpec.Introspection;

/// <summary>
/// Where an <see cref="IntrospectionProbe"/> sends what it measures: a run folder of Parquet tables
/// (<c>RunRecorder</c> of AutoSpec.Recording), memory (<see cref="MemorySink"/>), or a sink of the caller's. The probe calls
/// a sink from one thread at a time (its background thread when it has one), in step order.
/// </summary>
public interface IIntrospectionSink
{
    /// <summary>
    /// Called once, when the probe is created or the sink attached, before anything else: what is recorded and how.
    /// </summary>
    void Start(ProbeDescription probe);

    /// <summary>The spectra of every group (and "all") of one layer at one step.</summary>
    void AddGroupSpectra(StepInfo step, string layer, string layerKind, IReadOnlyList<GroupSpectra> spectra);

    /// <summary>A group with no sample in the step's batch: nothing to measure for it at this layer and step.</summary>
    void AddAbsentGroup(StepInfo step, string layer, string layerKind, string group, SpectrumQuantities quantities);

    /// <summary>The singular values σ(W) of one layer's weight.</summary>
    void AddWeightSpectrum(StepInfo step, string layer, string layerKind, double[] sigma);

    /// <summary>The online permutation test of one layer, window, metric and pair of groups.</summary>
    void AddPermutation(PermutationWindowInfo window, string layer, string layerKind, string metric, string groupA,
        string groupB, PairPermutationResult pair, string? note);

    /// <summary>A layer's window that could not be tested, and why.</summary>
    void AddPermutationNote(PermutationWindowInfo window, string layer, string layerKind, string metric, string note);

    /// <summary>A point of the training curves.</summary>
    void AddCurve(CurvePoint point);

    /// <summary>The end of a step's introspection (<paramref name="recorded"/>: its spectra were recorded).</summary>
    void EndStep(bool recorded);

    /// <summary>Makes what was added so far durable (the probe calls it at epoch ends and when training completes).</summary>
    void Flush();

    /// <summary>Training finished and the probe has done all its work: finalise (e.g. merge part files, mark the run complete).</summary>
    void Complete();

    /// <summary>The run failed or was abandoned: keep what was recorded and say why.</summary>
    void Fail(Exception error);

    /// <summary>
    /// The run folder this sink writes, if any: the audit dump (<see cref="IntrospectionOptions.DumpSteps"/>) goes
    /// into the first sink that has one.
    /// </summary>
    string? Folder => null;
}
