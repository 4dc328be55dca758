using System.Diagnostics;

namespace AutoSpec.Introspection;

/// <summary>
/// The online subject-level permutation test: at the recorded steps it adds each layer's Gram blocks to the open
/// <see cref="PermutationWindow"/>, and tests the window when it is complete — after its last step for windows of
/// <see cref="IntrospectionOptions.PermutationWindow"/> steps, at the epoch's end for epoch windows, or when a step
/// of a later window arrives. Its state (the open window's blocks and subjects) travels in checkpoints.
/// </summary>
internal sealed class PermutationConsumer(IntrospectionOptions options, IReadOnlyList<string> groupNames,
    IReadOnlyList<int>? subjectGroups, ISet<string> layers, IIntrospectionSink sink, IntrospectionTimings timings) : StepConsumer
{
    private readonly PermutationWindow _window = new(options, groupNames, subjectGroups);
    private long _openWindow = -1;
    private int _anonymousSamples;

    public override string Name => "permutations";

    public override bool Captures(int epoch, long step) => options.RecordsStep(epoch, step);

    public override ConsumerWork? AfterBackward(CapturedStep step)
    {
        bool recorded = Captures(step.Info.Epoch, step.Info.Step);
        return new ConsumerWork(() => Add(step, recorded));
    }

    private void Add(CapturedStep step, bool recorded)
    {
        var info = step.Info;
        if (_window.IsOpen && _window.WindowOf(info) != _openWindow)
        {
            Close();
        }
        if (recorded)
        {
            long clock = Stopwatch.GetTimestamp();
            _openWindow = _window.WindowOf(info);
            // Without subject ids a sample stands for itself; the step keeps it apart from other steps' samples.
            var subjects = step.SampleSubject ?? Enumerable.Range(_anonymousSamples, step.SampleGroup.Length).ToArray();
            _anonymousSamples += step.SampleSubject is null ? step.SampleGroup.Length : 0;
            // Gates of recurrent layers are views of their layer's factors: the layer's own test covers them.
            foreach (var f in step.Factors.Where(f => layers.Contains(f.Layer)))
            {
                _window.Add(info, f, step.SampleGroup, subjects);
            }
            timings.Add(IntrospectionPhase.Permutations, clock);
        }
        if (options.PermutationWindow is int w && _window.IsOpen && _openWindow == info.Step / w && (info.Step + 1) % w == 0)
        {
            Close();
        }
    }

    public override ConsumerWork? EndEpoch(int epoch) => new(() =>
    {
        if (options.PermutationWindow is null && _window.IsOpen && _openWindow == epoch)
        {
            Close();
        }
    });

    public override ConsumerWork? Complete(StepInfo next) => new(Close);

    private void Close()
    {
        long clock = Stopwatch.GetTimestamp();
        _window.Close(sink);
        timings.Add(IntrospectionPhase.Permutations, clock);
    }

    public override bool HasState => true;

    public override void Write(BinaryWriter writer)
    {
        writer.Write(_openWindow);
        writer.Write(_anonymousSamples);
        _window.Write(writer);
    }

    public override void Read(BinaryReader reader)
    {
        long openWindow = reader.ReadInt64();
        int anonymous = reader.ReadInt32();
        if (anonymous < 0)
        {
            throw new InvalidDataException($"permutations: {anonymous} anonymous samples");
        }
        _window.Read(reader);
        _openWindow = openWindow;
        _anonymousSamples = anonymous;
    }
}
