namespace AutoSpec.Models;

/// <summary>
/// The memory a model will take to train and record, estimated from its options before anything is allocated, so
/// that a typo such as <c>--hidden 100000000</c> is refused in a moment with the estimate instead of growing until
/// the kernel kills the process.
/// </summary>
internal static class ModelMemory
{
    /// <summary>
    /// Bytes per weight: float32 weight, gradient and two Adam moments (16), plus the spectra's float64 work on a
    /// layer's p × q matrices (the gradient product, σ(W) and the factorisation's copies: about 6 × 8).
    /// </summary>
    private const double BytesPerWeight = 64;

    /// <summary>Weight matrices (inputs × outputs) the model of <paramref name="o"/> will hold, as doubles (no overflow).</summary>
    public static IReadOnlyList<(double In, double Out)> WeightShapes(ModelOptions o, IReadOnlyList<int> sampleShape, int classes)
    {
        var shapes = new List<(double, double)>();
        double features = sampleShape.Aggregate(1.0, (a, b) => a * b);
        switch (o.Kind.ToLowerInvariant())
        {
            case "mlp":
                double width = features;
                foreach (var h in o.Hidden)
                {
                    shapes.Add((width, h));
                    width = h;
                }
                shapes.Add((width, classes));
                break;
            case "cnn1d" or "cnn3d":
                double channels = o.Kind.Equals("cnn1d", StringComparison.OrdinalIgnoreCase) ? sampleShape[0] : 1;
                int dims = o.Kind.Equals("cnn1d", StringComparison.OrdinalIgnoreCase) ? 1 : 3;
                foreach (var c in o.Channels)
                {
                    shapes.Add((channels * Math.Pow(o.Kernel, dims), c));
                    channels = c;
                }
                shapes.Add((channels, classes));
                break;
            default:
                double e = o.Embedding;
                shapes.Add(((double)sampleShape[0] * o.Window, e));
                if (o.Kind.Equals("transformer", StringComparison.OrdinalIgnoreCase))
                {
                    for (int i = 0; i < o.Layers; i++)
                    {
                        shapes.AddRange([(e, e), (e, e), (e, e), (e, e), (e, 2 * e), (2 * e, e)]);
                    }
                    shapes.Add((e, classes));
                }
                else
                {
                    double gates = o.Kind.Equals("gru", StringComparison.OrdinalIgnoreCase) ? 3 : 4;
                    double directions = o.Kind.Equals("bilstm", StringComparison.OrdinalIgnoreCase) ? 2 : 1;
                    double h = o.RecurrentHidden;
                    double input = e;
                    for (int i = 0; i < o.Layers; i++)
                    {
                        for (int d = 0; d < directions; d++)
                        {
                            shapes.AddRange([(input, gates * h), (h, gates * h)]);
                        }
                        input = h * directions;
                    }
                    shapes.Add((h * directions, classes));
                }
                break;
        }
        return shapes;
    }

    /// <summary>Estimated bytes to train and record the model: weights, gradients, optimiser state and spectra work.</summary>
    public static double Estimate(ModelOptions o, IReadOnlyList<int> sampleShape, int classes) =>
        WeightShapes(o, sampleShape, classes).Sum(s => s.In * s.Out + s.Out) * BytesPerWeight;

    /// <summary>Refuses a model whose estimate exceeds the memory available, naming the options that size it.</summary>
    /// <exception cref="InvalidInputException">The estimate exceeds <see cref="AvailableMemory.Bytes"/>.</exception>
    public static void Check(ModelOptions o, IReadOnlyList<int> sampleShape, int classes)
    {
        var shapes = WeightShapes(o, sampleShape, classes);
        double parameters = shapes.Sum(s => s.In * s.Out + s.Out);
        double bytes = parameters * BytesPerWeight;
        long available = AvailableMemory.Bytes();
        if (bytes > available)
        {
            var options = o.Kind.ToLowerInvariant() switch
            {
                "mlp" => $"--hidden {string.Join(",", o.Hidden)}",
                "cnn1d" or "cnn3d" => $"--channels {string.Join(",", o.Channels)} --kernel {o.Kernel}",
                "transformer" => $"--embedding {o.Embedding} --window {o.Window} --model-layers {o.Layers}",
                _ => $"--embedding {o.Embedding} --recurrent-hidden {o.RecurrentHidden} --window {o.Window} --model-layers {o.Layers}",
            };
            throw new InvalidInputException(
                $"{options}: the model would need about {AvailableMemory.Describe(bytes)} ({parameters:G3} parameters with their gradients, optimiser state and spectra) but {AvailableMemory.Describe(available)} of memory are available; choose smaller layers.");
        }
    }
}
