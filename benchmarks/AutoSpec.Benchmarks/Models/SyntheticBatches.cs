using static TorchSharp.torch;

namespace AutoSpec.Benchmarks.Models;

/// <summary>
/// Fixed random mini-batches (Gaussian inputs, balanced random labels and two balanced random groups), made once so
/// that data loading is not part of what is timed and both sides of a comparison see the same batches.
/// </summary>
internal sealed class SyntheticBatches : IDisposable
{
    private readonly List<BenchmarkBatch> _batches = [];

    public SyntheticBatches(int batches, int batchSize, long[] sampleShape, int seed)
    {
        var rng = new Random(seed);
        var generator = new TorchSharp.torch.Generator((ulong)seed);
        for (int b = 0; b < batches; b++)
        {
            long[] shape = [batchSize, .. sampleShape];
            var x = randn(shape, generator: generator).DetachFromDisposeScope();
            var y = tensor(Enumerable.Range(0, batchSize).Select(i => (long)((i + b) % 2)).ToArray(), ScalarType.Int64)
                .DetachFromDisposeScope();
            // Groups independent of labels, balanced in expectation: n_g varies from batch to batch as in real data.
            int[] groups = Enumerable.Range(0, batchSize).Select(_ => rng.Next(2)).ToArray();
            _batches.Add(new BenchmarkBatch(x, y, groups));
        }
    }

    public static IReadOnlyList<string> GroupNames { get; } = ["A", "B"];

    public int Count => _batches.Count;

    public BenchmarkBatch this[int index] => _batches[index];

    public void Dispose()
    {
        foreach (var b in _batches)
        {
            b.Inputs.Dispose();
            b.Labels.Dispose();
        }
        _batches.Clear();
    }
}
