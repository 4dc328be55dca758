using AutoSpec.Models;
using static TorchSharp.torch;

namespace AutoSpec.Benchmarks.Models;

/// <summary>
/// The product's MLP on connectivity-sized input: 1378 = 53·52/2 features (upper triangle of a 53-component
/// functional network connectivity matrix) → 512 → 256 → 2, ReLU, batch 64.
/// </summary>
internal sealed class MlpBenchmark(int stepsPerEpoch, int inputs = 1378, int[]? hidden = null) : IBenchmarkModel
{
    private readonly int[] _hidden = hidden ?? [512, 256];
    private readonly SyntheticBatches _data = new(stepsPerEpoch, 64, [inputs], seed: 1);

    public string Name => _hidden.Length == 2 && _hidden[0] == 512 ? "mlp" : "mlp-small";

    public string Description => $"MLP {inputs}→{string.Join("→", _hidden)}→2, batch {BatchSize}";

    public string? Pending => null;

    public int BatchSize => 64;

    public int StepsPerEpoch => _data.Count;

    public IReadOnlyList<string> GroupNames => SyntheticBatches.GroupNames;

    public nn.Module<Tensor, Tensor> CreateModel() =>
        MlpModel.Create(inputs, 2, new ModelOptions { Hidden = _hidden, Activation = "relu" });

    public BenchmarkBatch Batch(int index) => _data[index];

    public void Dispose() => _data.Dispose();
}
