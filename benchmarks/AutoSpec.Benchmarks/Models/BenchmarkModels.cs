using static TorchSharp.torch;

namespace AutoSpec.Benchmarks.Models;

/// <summary>The models of the overhead table (issue 6), by name.</summary>
internal static class BenchmarkModels
{
    public static readonly IReadOnlyList<string> Names = ["mlp", "lstm", "cnn1d", "cnn3d"];

    /// <summary>
    /// Creates one model with its data. <paramref name="stepsPerEpoch"/> sets the epoch length (σ(W) and the
    /// recorder's flush happen once per epoch): 16 steps of 64 = 1024 subjects, the size of a large
    /// neuroimaging study.
    /// </summary>
    public static IBenchmarkModel Create(string name, int stepsPerEpoch) => name switch
    {
        "mlp" => new MlpBenchmark(stepsPerEpoch),
        "lstm" => new PendingBenchmark(
            "lstm", "windowed LSTM: 53 components × 140 time points, windows of 20, hidden 128, batch 32",
            "pending: needs recurrent capture", 32, stepsPerEpoch, [140, 53],
            () => new WindowedLstm(53, 20, 128, 2)),
        "cnn1d" => new PendingBenchmark(
            "cnn1d", "1D-CNN over 53 channels × 140 time points: conv 64,k4 → conv 128,k4 → pool → fc, batch 32",
            "pending: needs conv capture", 32, stepsPerEpoch, [53, 140],
            () => nn.Sequential(
                ("conv1", nn.Conv1d(53, 64, 4)), ("act1", nn.ReLU()),
                ("conv2", nn.Conv1d(64, 128, 4)), ("act2", nn.ReLU()),
                ("pool", nn.AdaptiveAvgPool1d(1)), ("flat", nn.Flatten()), ("fc", nn.Linear(128, 2)))),
        "cnn3d" => new PendingBenchmark(
            "cnn3d", "3D-CNN on 32³ volumes: conv 8 → pool → conv 16 → pool → conv 32 (k3) → pool → fc, batch 16",
            "pending: needs conv capture", 16, stepsPerEpoch, [1, 32, 32, 32],
            () => nn.Sequential(
                ("conv1", nn.Conv3d(1, 8, 3, padding: 1)), ("act1", nn.ReLU()), ("pool1", nn.MaxPool3d(2)),
                ("conv2", nn.Conv3d(8, 16, 3, padding: 1)), ("act2", nn.ReLU()), ("pool2", nn.MaxPool3d(2)),
                ("conv3", nn.Conv3d(16, 32, 3, padding: 1)), ("act3", nn.ReLU()),
                ("pool", nn.AdaptiveAvgPool3d(1)), ("flat", nn.Flatten()), ("fc", nn.Linear(32, 2)))),
        _ => throw new ArgumentException($"unknown model '{name}'; use one of {string.Join(", ", Names)}"),
    };
}
