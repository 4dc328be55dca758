using AutoSpec.Capture;

namespace AutoSpec.Introspection;

/// <summary>
/// The audit dump of chosen steps (<see cref="IntrospectionOptions.DumpSteps"/>): A, Δ, group ids, W and W.grad as
/// .npy files in the run folder, written on the training thread because the optimiser changes W next.
/// </summary>
internal sealed class AuditDumpConsumer(IntrospectionOptions options, IReadOnlyList<string> groupNames,
    IReadOnlyList<LayerCapture> layers, Func<string?> folder) : StepConsumer
{
    private readonly HashSet<long> _steps = [.. options.DumpSteps];

    public override string Name => "audit_dump";

    public override bool Captures(int epoch, long step) => _steps.Contains(step);

    public override ConsumerWork? AfterBackward(CapturedStep step)
    {
        if (_steps.Contains(step.Info.Step))
        {
            var directory = folder() ?? throw new InvalidOperationException(
                "the audit dump (IntrospectionOptions.DumpSteps) needs a sink with a run folder, such as RunRecorder");
            AuditDump.Write(directory, step.Info, step.Factors, layers.ToDictionary(l => l.Name), step.SampleGroup, groupNames);
        }
        return null;
    }
}
