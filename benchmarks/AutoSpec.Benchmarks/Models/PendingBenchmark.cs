using static TorchSharp.torch;

namespace AutoSpec.Benchmarks.Models;

/// <summary>
/// A model whose layer types AutoSpec cannot capture yet (convolution, recurrent). It is built from TorchSharp's
/// native layers and timed without introspection, so its row shows the plain step time and says what is pending.
/// When the capture lands, replace it by a model built from the introspectable layers and drop <see cref="Pending"/>.
/// </summary>
internal sealed class PendingBenchmark(
    string name, string description, string pending, int batchSize, int stepsPerEpoch, long[] sampleShape,
    Func<nn.Module<Tensor, Tensor>> create) : IBenchmarkModel
{
    private readonly SyntheticBatches _data = new(stepsPerEpoch, batchSize, sampleShape, seed: 2);

    public string Name => name;

    public string Description => description;

    public string? Pending => pending;

    public int BatchSize => batchSize;

    public int StepsPerEpoch => _data.Count;

    public IReadOnlyList<string> GroupNames => SyntheticBatches.GroupNames;

    public nn.Module<Tensor, Tensor> CreateModel() => create();

    public BenchmarkBatch Batch(int index) => _data[index];

    public void Dispose() => _data.Dispose();
}
