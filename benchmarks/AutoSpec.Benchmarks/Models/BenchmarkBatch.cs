using static TorchSharp.torch;

namespace AutoSpec.Benchmarks.Models;

/// <summary>One mini-batch: inputs, class labels and the group index of every sample.</summary>
internal sealed record BenchmarkBatch(Tensor Inputs, Tensor Labels, int[] SampleGroup);
