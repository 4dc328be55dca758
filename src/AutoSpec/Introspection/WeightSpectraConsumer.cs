using System.Diagnostics;
using AutoSpec.Capture;
using AutoSpec.Spectra;
using static TorchSharp.torch;

namespace AutoSpec.Introspection;

/// <summary>
/// σ(W) of every watched layer at the first step of every k-th epoch
/// (<see cref="IntrospectionOptions.WeightEveryEpochs"/>), taken after backward and before the optimiser step, and
/// after the last step. Its state is the last epoch seen, so that a run resumed in the middle of an epoch does not
/// take that epoch's σ(W) a second time. The training thread reads and sets it; the checkpoint gets the copy the
/// pipeline has reached (a checkpoint is written in step order, possibly after the training thread moved on).
/// </summary>
internal sealed class WeightSpectraConsumer(IntrospectionOptions options, IReadOnlyList<LayerCapture> layers,
    IIntrospectionSink sink, IntrospectionTimings timings, bool copyWeights) : StepConsumer
{
    private int _lastEpoch = -1;
    private int _lastEpochInPipeline = -1;

    private bool On => options.Quantities.HasFlag(SpectrumQuantities.Weight) && options.WeightEveryEpochs > 0;

    public override string Name => "weights";

    public override ConsumerWork? AfterBackward(CapturedStep step)
    {
        int epoch = step.Info.Epoch;
        bool firstOfEpoch = epoch != _lastEpoch;
        _lastEpoch = epoch;
        if (!firstOfEpoch)
        {
            return null;
        }
        var spectra = On && epoch % options.WeightEveryEpochs == 0 ? Spectra(step.Info) : null;
        return new ConsumerWork(() =>
        {
            _lastEpochInPipeline = epoch;
            spectra?.Run();
        }, spectra?.Release, spectra?.Bytes ?? 0);
    }

    public override ConsumerWork? Complete(StepInfo next) => On ? Spectra(next) : null;

    private ConsumerWork Spectra(StepInfo step)
    {
        // The optimiser changes the weights in place next: a background thread gets copies.
        var weights = layers.Select(l =>
        {
            var w = l.WeightMatrix();
            if (!copyWeights)
            {
                return w;
            }
            using (w)
            {
                // Out of the step's dispose scope, which ends before the background thread gets to it.
                return w.clone().DetachFromDisposeScope();
            }
        }).ToList();
        return new ConsumerWork(() =>
        {
            long clock = Stopwatch.GetTimestamp();
            try
            {
                foreach (var (layer, weight) in layers.Zip(weights))
                {
                    sink.AddWeightSpectrum(step, layer.Name, layer.Kind, WeightSpectrum.Compute(weight));
                }
            }
            finally
            {
                weights.ForEach(w => w.Dispose());
            }
            timings.Add(IntrospectionPhase.Weights, clock);
        }, () => weights.ForEach(w => w.Dispose()), weights.Sum(w => w.NumberOfElements * w.ElementSize));
    }

    public override bool HasState => true;

    public override void Write(BinaryWriter writer) => writer.Write(_lastEpochInPipeline);

    public override void Read(BinaryReader reader)
    {
        int epoch = reader.ReadInt32();
        _lastEpoch = _lastEpochInPipeline = epoch >= -1 ? epoch : throw new InvalidDataException($"weights: last epoch {epoch}");
    }
}
