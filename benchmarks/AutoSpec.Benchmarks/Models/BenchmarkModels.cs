using AutoSpec.Models;

namespace AutoSpec.Benchmarks.Models;

/// <summary>The models of the overhead table (docs/PERFORMANCE.md, "Results"), by name.</summary>
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
        "lstm" => new ZooBenchmark(
            "lstm", "windowed LSTM (zoo): 53 components × 140 time points, windows of 20 → Linear 1060→128 → our LSTM, hidden 128 → mean → fc, batch 32",
            32, stepsPerEpoch, [53, 140],
            new ModelOptions { Kind = "lstm", Window = 20, Embedding = 128, RecurrentHidden = 128 }),
        "cnn1d" => new ZooBenchmark(
            "cnn1d", "1D-CNN (zoo) over 53 channels × 140 time points: conv 64,k5 → pool → conv 128,k5 → global mean → fc, batch 32",
            32, stepsPerEpoch, [53, 140],
            new ModelOptions { Kind = "cnn1d", Channels = [64, 128], Kernel = 5 }),
        "cnn3d" => new ZooBenchmark(
            "cnn3d", "3D-CNN (zoo) on 32³ volumes: conv 8 → pool → conv 16 → pool → conv 32 (k3) → global mean → fc, batch 16",
            16, stepsPerEpoch, [32, 32, 32],
            new ModelOptions { Kind = "cnn3d", Channels = [8, 16, 32], Kernel = 3 }),
        _ => throw new ArgumentException($"unknown model '{name}'; use one of {string.Join(", ", Names)}"),
    };
}
