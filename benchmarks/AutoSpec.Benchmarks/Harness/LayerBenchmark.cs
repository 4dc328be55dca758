using System.Diagnostics;
using System.Globalization;
using AutoSpec.Benchmarks.Report;
using AutoSpec.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoSpec.Benchmarks.Harness;

/// <summary>
/// Forward + backward of our introspectable layers (RecurrentNetwork LSTM/GRU, MultiheadSelfAttention,
/// TransformerEncoderBlock) against TorchSharp's native ones of the same sizes (what introspectable layers cost,
/// docs/PERFORMANCE.md), side by side: per repetition both run once, in alternating order, on the same input; the
/// ratio is taken per repetition. No capture is attached (the overhead benchmark measures capture); batch-first
/// input (N, T, 128).
/// </summary>
internal static class LayerBenchmark
{
    private const int Batch = 32;
    private const int Width = 128;
    private const int Heads = 4;

    public static string Run(BenchmarkSettings s, TextWriter log)
    {
        var table = new MarkdownTable("layer", "T", "native ms (median, min–max)", "ours ms (median, min–max)",
            "ours / native median (min–max)", "reps");
        foreach (int t in s.LayerSteps)
        {
            foreach (var (name, native, ours) in Pairs())
            {
                using var x = randn(Batch, t, Width);
                var times = new[] { new List<double>(), new List<double>() };
                for (int rep = -s.Warmup; rep < s.LayerReps; rep++)
                {
                    for (int k = 0; k < 2; k++)
                    {
                        int which = (k + rep + s.Warmup) % 2;
                        double ms = Time(which == 0 ? native : ours, x);
                        if (rep >= 0)
                        {
                            times[which].Add(ms);
                        }
                    }
                }
                var ratio = times[1].Zip(times[0], (a, b) => a / b).ToList();
                table.Add(name, t.ToString(CultureInfo.InvariantCulture), Summary.Of(times[0]).Format("F2"),
                    Summary.Of(times[1]).Format("F2"), Summary.Of(ratio).Format("F2"), s.LayerReps.ToString(CultureInfo.InvariantCulture));
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"[layers] {name} T={t}: native {Summary.Of(times[0]).Median:F2} ms, ours {Summary.Of(times[1]).Median:F2} ms, ratio {Summary.Of(ratio).Median:F2}"));
                native.Dispose();
                ours.Dispose();
            }
        }
        return $"Batch {Batch}, width {Width} (LSTM/GRU: input = hidden = {Width}; attention: {Heads} heads; encoder " +
            $"layer: feed-forward {2 * Width}, post-norm, dropout 0), forward + backward of sum(output²), training mode, " +
            $"torch threads {get_num_threads()}.\n\n{table}";
    }

    /// <summary>Native and ours, as functions of a batch-first input returning a batch-first output.</summary>
    private static IEnumerable<(string Name, Layer Native, Layer Ours)> Pairs()
    {
        torch.random.manual_seed(11);
        yield return ("LSTM", new Layer(nn.LSTM(Width, Width, batchFirst: true), m => x => ((TorchSharp.Modules.LSTM)m).call(x).Item1),
            new Layer(new RecurrentNetwork("lstm", RecurrentKind.Lstm, Width, Width), m => x => ((RecurrentNetwork)m).call(x)));
        yield return ("GRU", new Layer(nn.GRU(Width, Width, batchFirst: true), m => x => ((TorchSharp.Modules.GRU)m).call(x).Item1),
            new Layer(new RecurrentNetwork("gru", RecurrentKind.Gru, Width, Width), m => x => ((RecurrentNetwork)m).call(x)));
        yield return ("multi-head self-attention", new Layer(nn.MultiheadAttention(Width, Heads), m => x =>
            {
                var seqFirst = x.transpose(0, 1);
                return ((TorchSharp.Modules.MultiheadAttention)m).call(seqFirst, seqFirst, seqFirst, null, false, null).Item1.transpose(0, 1);
            }),
            new Layer(new MultiheadSelfAttention("mha", Width, Heads), m => x => ((MultiheadSelfAttention)m).call(x)));
        yield return ("Transformer encoder layer", new Layer(nn.TransformerEncoderLayer(Width, Heads, 2 * Width, 0.0),
                m => x => ((TorchSharp.Modules.TransformerEncoderLayer)m).call(x.transpose(0, 1)).transpose(0, 1)),
            new Layer(new TransformerEncoderBlock("block", Width, Heads, 2 * Width, dropout: 0.0), m => x => ((TransformerEncoderBlock)m).call(x)));
    }

    private static double Time(Layer layer, Tensor x)
    {
        using var scope = NewDisposeScope();
        layer.Module.zero_grad();
        long start = Stopwatch.GetTimestamp();
        var y = layer.Forward(x);
        y.mul(y).sum().backward(); // y², without a temporary Scalar (docs/TORCHSHARP.md)
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private sealed class Layer : IDisposable
    {
        public Layer(nn.Module module, Func<nn.Module, Func<Tensor, Tensor>> forward)
        {
            Module = module;
            Module.train();
            Forward = forward(module);
        }

        public nn.Module Module { get; }

        public Func<Tensor, Tensor> Forward { get; }

        public void Dispose() => Module.Dispose();
    }
}
