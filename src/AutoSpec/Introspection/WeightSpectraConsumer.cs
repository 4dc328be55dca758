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
/// With a worker pool the layers' σ(W) are computed on its threads, from copies taken at the step.
/// </summary>
internal sealed class WeightSpectraConsumer(IntrospectionOptions options, IReadOnlyList<LayerCapture> layers,
    IIntrospectionSink sink, IntrospectionTimings timings, bool copyWeights, SpectraWorkerPool? workers = null) : StepConsumer
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
        var units = PendingUnits<double[]>.Start(workers, weights.Select(w => (Func<double[]>)(() =>
        {
            long clock = Stopwatch.GetTimestamp();
            var sigma = WeightSpectrum.Compute(w);
            timings.Add(IntrospectionPhase.Weights, clock);
            return sigma;
        })));
        void Release()
        {
            units.Wait();
            weights.ForEach(w => w.Dispose());
        }
        return new ConsumerWork(() =>
        {
            try
            {
                int i = 0;
                units.InOrder(sigma =>
                {
                    var layer = layers[i++];
                    sink.AddWeightSpectrum(step, layer.Name, layer.Kind, sigma);
                });
            }
            finally
            {
                weights.ForEach(w => w.Dispose());
            }
        }, Release, weights.Sum(w => w.NumberOfElements * w.ElementSize));
    }

    public override bool HasState => true;

    public override void Write(BinaryWriter writer) => writer.Write(_lastEpochInPipeline);

    public override void Read(BinaryReader reader)
    {
        int epoch = reader.ReadInt32();
        _lastEpoch = _lastEpochInPipeline = epoch >= -1 ? epoch : throw new InvalidDataException($"weights: last epoch {epoch}");
    }
}
