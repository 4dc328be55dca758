namespace AutoSpec.Introspection;

/// <summary>
/// One training step under an <see cref="IntrospectionProbe"/>: created by <see cref="IntrospectionProbe.Step"/>
/// before the forward pass, disposed after <c>loss.backward()</c> and before the optimiser step. Disposing it records
/// the step; a step whose scope ends without a backward pass (an exception, an evaluation pass) records nothing.
/// </summary>
public sealed class ProbeStep : IDisposable
{
    private readonly IntrospectionProbe _probe;
    private bool _ended;

    internal ProbeStep(IntrospectionProbe probe, StepInfo info, int[] sampleGroup, int[]? sampleSubject)
    {
        _probe = probe;
        Info = info;
        SampleGroup = sampleGroup;
        SampleSubject = sampleSubject;
    }

    /// <summary>Epoch, step and batch size.</summary>
    public StepInfo Info { get; }

    internal int[] SampleGroup { get; }

    internal int[]? SampleSubject { get; }

    /// <summary>Records the step (after backward, before the optimiser step).</summary>
    public void Dispose()
    {
        if (!_ended)
        {
            _ended = true;
            _probe.End(this);
        }
    }
}
