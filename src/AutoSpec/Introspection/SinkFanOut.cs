using AutoSpec.Permutation;
using AutoSpec.Spectra;

namespace AutoSpec.Introspection;

/// <summary>The probe's sinks seen as one: every call goes to each sink in the order they were attached.</summary>
internal sealed class SinkFanOut : IIntrospectionSink
{
    private readonly List<IIntrospectionSink> _sinks = [];

    public IReadOnlyList<IIntrospectionSink> Sinks => _sinks;

    public void Add(IIntrospectionSink sink) => _sinks.Add(sink);

    public string? Folder => _sinks.Select(s => s.Folder).FirstOrDefault(f => f is not null);

    public void Start(ProbeDescription probe) => _sinks.ForEach(s => s.Start(probe));

    public void AddGroupSpectra(StepInfo step, string layer, string layerKind, IReadOnlyList<GroupSpectra> spectra) =>
        _sinks.ForEach(s => s.AddGroupSpectra(step, layer, layerKind, spectra));

    public void AddAbsentGroup(StepInfo step, string layer, string layerKind, string group, SpectrumQuantities quantities) =>
        _sinks.ForEach(s => s.AddAbsentGroup(step, layer, layerKind, group, quantities));

    public void AddWeightSpectrum(StepInfo step, string layer, string layerKind, double[] sigma) =>
        _sinks.ForEach(s => s.AddWeightSpectrum(step, layer, layerKind, sigma));

    public void AddPermutation(PermutationWindowInfo window, string layer, string layerKind, string metric, string groupA,
        string groupB, PairPermutationResult pair, string? note) =>
        _sinks.ForEach(s => s.AddPermutation(window, layer, layerKind, metric, groupA, groupB, pair, note));

    public void AddPermutationNote(PermutationWindowInfo window, string layer, string layerKind, string metric, string note) =>
        _sinks.ForEach(s => s.AddPermutationNote(window, layer, layerKind, metric, note));

    public void AddCurve(CurvePoint point) => _sinks.ForEach(s => s.AddCurve(point));

    public void EndStep(bool recorded) => _sinks.ForEach(s => s.EndStep(recorded));

    public void Flush() => _sinks.ForEach(s => s.Flush());

    public void Complete() => _sinks.ForEach(s => s.Complete());

    /// <summary>Tells every sink, even when one of them fails to take it: the run's error matters more.</summary>
    public void Fail(Exception error)
    {
        foreach (var s in _sinks)
        {
            try
            {
                s.Fail(error);
            }
            catch (Exception)
            {
                // Another sink's failure to record the failure must not hide the error itself.
            }
        }
    }
}
