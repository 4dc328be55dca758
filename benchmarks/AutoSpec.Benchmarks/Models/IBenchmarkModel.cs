using static TorchSharp.torch;

namespace AutoSpec.Benchmarks.Models;

/// <summary>
/// A model and its synthetic data for the overhead benchmark. Adding a model to the table means adding one class
/// and listing it in <see cref="BenchmarkModels"/>.
/// </summary>
internal interface IBenchmarkModel : IDisposable
{
    /// <summary>Short name used on the command line and in the tables ("mlp", "lstm", …).</summary>
    string Name { get; }

    /// <summary>Architecture and input shape, for the table.</summary>
    string Description { get; }

    /// <summary>
    /// Why the model cannot be introspected yet (its layer types have no capture), or null when it can.
    /// Pending models are still timed without introspection so the harness is exercised.
    /// </summary>
    string? Pending { get; }

    /// <summary>Samples per mini-batch.</summary>
    int BatchSize { get; }

    /// <summary>Mini-batches per epoch (σ(W) is recorded once per epoch, the recorder flushes once per epoch).</summary>
    int StepsPerEpoch { get; }

    /// <summary>Group names of the synthetic subjects.</summary>
    IReadOnlyList<string> GroupNames { get; }

    /// <summary>A freshly initialised model (TorchSharp's global generator is seeded by the caller).</summary>
    nn.Module<Tensor, Tensor> CreateModel();

    /// <summary>
    /// The model plain training is measured on: what a user would train without AutoSpec (for the CNNs libtorch's own
    /// convolution, whatever the product's check chose for the introspected model).
    /// </summary>
    nn.Module<Tensor, Tensor> CreatePlainModel() => CreateModel();

    /// <summary>The <paramref name="index"/>-th mini-batch of an epoch (the same batches every epoch).</summary>
    BenchmarkBatch Batch(int index);
}
