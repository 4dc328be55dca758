using AutoSpec.Benchmarks.Models;
using AutoSpec.Introspection;
using AutoSpec.Record;
using AutoSpec.Spectra;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoSpec.Benchmarks.Harness;

/// <summary>
/// One model training on a benchmark model's batches, with introspection (every recorded step: capture, spectra,
/// Parquet recording; σ(W) at the first step of every epoch; a flush at every epoch end, as the product's
/// <see cref="Training.Trainer"/> does) or without it (no hooks attached at all). The step is the product's
/// training step without its bookkeeping (per-step accuracy and AUC), which only makes the plain step cheaper and
/// the ratio stricter.
/// </summary>
internal sealed class TrainingSession : IDisposable
{
    private readonly IBenchmarkModel _spec;
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly optim.Optimizer _optimizer;
    private readonly IntrospectionProbe? _probe;
    private readonly RunRecorder? _recorder;
    private long _step;
    private long _measureFrom;
    private readonly int _smallProblemThreads;

    public TrainingSession(IBenchmarkModel spec, string label, IntrospectionOptions? introspection, string? runDirectory,
        int seed, int smallProblemThreads = 1)
    {
        _spec = spec;
        _smallProblemThreads = smallProblemThreads;
        Label = label;
        torch.random.manual_seed(seed);
        _model = introspection is null ? spec.CreatePlainModel() : spec.CreateModel();
        _model.train();
        // Adam at 1e-4: the zoo 1D-CNN (53×140, channels 64,128) diverges to NaN near step 93 at 1e-3 on these
        // repeated random batches (its weights themselves turn NaN); step cost does not depend on the rate.
        _optimizer = new Training.HeldScalarAdam(_model.parameters(), 1e-4);
        if (introspection is not null)
        {
            ArgumentNullException.ThrowIfNull(runDirectory);
            _recorder = RunRecorder.Create(runDirectory, new RunDescription
            {
                RunId = label,
                Details = new Dictionary<string, string> { ["model"] = spec.GetType().Name, ["optimizer"] = "adam 1e-4", ["data"] = "random batches" },
            });
            _probe = new IntrospectionProbe(_model, introspection, spec.GroupNames, sinks: [_recorder]);
        }
    }

    /// <summary>Name in the tables ("plain", "every 1", …).</summary>
    public string Label { get; set; }

    /// <summary>The introspector's phase timings (null for plain training).</summary>
    public IntrospectionTimings? Timings => _probe?.Timings;

    /// <summary>Spectra rows written to part files so far.</summary>
    public long FlushedRows => _recorder?.Manifest.Progress.GetValueOrDefault("spectra_rows") ?? 0;

    /// <summary>Global steps taken so far.</summary>
    public long Steps => _step;

    /// <summary>Trains one epoch (all batches), flushing the recorder at its end.</summary>
    public void RunEpoch()
    {
        SmallProblemThreads.Count = _smallProblemThreads;
        for (int b = 0; b < _spec.StepsPerEpoch; b++)
        {
            Step(b);
        }
        if (_probe is not null)
        {
            // The epoch's time includes all of its introspection work, so that none of it overlaps the next session's.
            _probe.EndEpoch();
            _probe.Drain();
        }
    }

    /// <summary>Whether this session records spectra.</summary>
    public bool Introspected => _probe is not null;

    /// <summary>Whether introspection runs on a background thread.</summary>
    public bool Background => _probe is { BackgroundThreads: > 0 };

    /// <summary>Threads that computed spectra at once (0 for plain training).</summary>
    public int SpectraWorkers => _probe?.SpectraWorkers ?? 0;

    /// <summary>Whether the training thread computes queued spectra units while it waits.</summary>
    public bool TrainingThreadHelps => _probe?.TrainingThreadHelps ?? false;

    /// <summary>Steps taken since the last <see cref="ResetMeasurement"/>.</summary>
    public long MeasuredSteps => _step - _measureFrom;

    /// <summary>Starts measuring afresh (after the warm-up).</summary>
    public void ResetMeasurement()
    {
        _measureFrom = _step;
    }

    private void Step(int batchIndex)
    {
        var batch = _spec.Batch(batchIndex);
        int epoch = (int)(_step / _spec.StepsPerEpoch);
        using (var scope = NewDisposeScope())
        {
            _optimizer.zero_grad();
            Tensor loss;
            using (_probe?.Step(epoch, _step, batch.SampleGroup))
            {
                var logits = _model.call(batch.Inputs);
                loss = nn.functional.cross_entropy(logits, batch.Labels);
                loss.backward();
            }
            _optimizer.step();
            _ = loss.item<float>();
        }
        _step++;
    }

    /// <summary>Takes the final σ(W) and merges the recorder's part files (not timed: it happens once, after training).</summary>
    public void Complete() => _probe?.Complete();

    public void Dispose()
    {
        _probe?.Dispose();
        _optimizer.Dispose();
        _model.Dispose();
    }
}
