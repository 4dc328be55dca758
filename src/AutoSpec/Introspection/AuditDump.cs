using System.Text.Json;
using AutoSpec.Capture;
using AutoSpec.Files;
using AutoSpec.Introspection;
using static TorchSharp.torch;

namespace AutoSpec.Introspection;

/// <summary>
/// Writes, for chosen steps, everything needed to recompute the spectra without this tool, as NumPy .npy files in
/// <c>dump/step-NNNNNN/</c>: per layer <c>LAYER.A.npy</c> (rows×p), <c>LAYER.delta.npy</c> (rows×q),
/// <c>LAYER.row_sample.npy</c> and <c>LAYER.row_group.npy</c> (int32 per row; the group index points into
/// <c>groups.json</c>), <c>LAYER.W.npy</c> (q×p; a convolution's weight reshaped to C_out × C_in·kernel) and <c>LAYER.W_grad.npy</c> (q×p, equal to Δᵀ A).
/// </summary>
internal static class AuditDump
{
    /// <summary>Writes the dump of one step.</summary>
    public static void Write(string runDirectory, StepInfo step, IReadOnlyList<LayerFactors> factors,
        IReadOnlyDictionary<string, LayerCapture> layers, int[] sampleGroup, IReadOnlyList<string> groupNames)
    {
        var dir = Path.Combine(runDirectory, "dump", $"step-{step.Step:D6}");
        Directory.CreateDirectory(dir);
        // Per-gate factors are views of their layer's: the layer's own files hold everything.
        foreach (var f in factors.Where(f => layers.ContainsKey(f.Layer)))
        {
            var prefix = Path.Combine(dir, f.Layer);
            WriteMatrix(prefix + ".A.npy", f.Inputs);
            WriteMatrix(prefix + ".delta.npy", f.Adjoints);
            NpyFile.Write(prefix + ".row_sample.npy", f.RowSample, f.Rows);
            NpyFile.Write(prefix + ".row_group.npy", f.RowSample.Select(s => sampleGroup[s]).ToArray(), f.Rows);
            using var weight = layers[f.Layer].WeightMatrix();
            WriteMatrix(prefix + ".W.npy", weight);
            using var grad = layers[f.Layer].WeightGradMatrix();
            if (grad is not null)
            {
                WriteMatrix(prefix + ".W_grad.npy", grad);
            }
        }
        AtomicFile.WriteAllText(Path.Combine(dir, "groups.json"),
            JsonSerializer.Serialize(new { groups = groupNames, epoch = step.Epoch, step = step.Step, batch_samples = step.BatchSamples }));
    }

    private static void WriteMatrix(string path, Tensor t)
    {
        using var f = t.detach().to_type(ScalarType.Float32).contiguous();
        NpyFile.Write(path, f.data<float>().ToArray(), f.shape);
    }
}
