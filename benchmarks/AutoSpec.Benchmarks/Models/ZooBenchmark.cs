using AutoSpec.Models;
using static TorchSharp.torch;

namespace AutoSpec.Benchmarks.Models;

/// <summary>
/// A model of the product's zoo, built by <see cref="ModelFactory"/> exactly as <c>autospec run --model …</c> builds
/// it (introspectable layers: Linear, convolutions as the start-up check chose, our RecurrentNetwork), with fixed
/// synthetic batches.
/// </summary>
internal sealed class ZooBenchmark(
    string name, string description, int batchSize, int stepsPerEpoch, int[] sampleShape, ModelOptions options) : IBenchmarkModel
{
    private readonly SyntheticBatches _data = new(stepsPerEpoch, batchSize, sampleShape.Select(d => (long)d).ToArray(), seed: 2);

    public string Name => name;

    public string Description => description;

    public string? Pending => null;

    public int BatchSize => batchSize;

    public int StepsPerEpoch => _data.Count;

    public IReadOnlyList<string> GroupNames => SyntheticBatches.GroupNames;

    public nn.Module<Tensor, Tensor> CreateModel() => ModelFactory.Create(options, sampleShape, 2, Choice);

    public nn.Module<Tensor, Tensor> CreatePlainModel() =>
        ModelFactory.Create(options, sampleShape, 2, new ConvolutionChoice("native", "native", "plain baseline", new Dictionary<string, string>()));

    /// <summary>The product's convolution choice for this model, made once (batch size as trained).</summary>
    public ConvolutionChoice? Choice => _choice ??= ConvolutionChoice.Decide(options, sampleShape, batchSize);

    private ConvolutionChoice? _choice;

    public BenchmarkBatch Batch(int index) => _data[index];

    public void Dispose() => _data.Dispose();
}
