using System.Diagnostics;
using AutoSpec.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoSpec.Models;

/// <summary>
/// Checks libtorch's native convolution on this machine, for given layer shapes, against a float64 computation: the
/// same float32 input, weights and output gradient go through the native layer (float32) and through
/// <see cref="UnfoldConvolution"/> in float64 (no libtorch convolution kernel; itself tested against the
/// convolution's definition), and the output and the input, weight and bias gradients are compared. Takes
/// milliseconds. Which kernel libtorch picks depends on the CPU, the shapes and the thread count, so the product
/// checks the model's own shapes at start-up instead of trusting a rule.
/// </summary>
internal static class NativeConvolutionCheck
{
    /// <summary>
    /// Largest accepted error, relative to the largest entry of the float64 result. float32 sums of a few thousand
    /// terms stay below 1e-5; a wrong kernel misses by the result's own size, NaN fails always.
    /// </summary>
    public const double Tolerance = 1e-4;

    /// <summary>
    /// Passes per layer, each on fresh input; all must agree. libtorch's convolution gave different results from pass
    /// to pass on the project's machines (tools/NativeConvolutionProbe), so one lucky pass must not decide.
    /// </summary>
    public const int Passes = 3;

    /// <summary>The outcome for one layer.</summary>
    /// <param name="Shape">The layer.</param>
    /// <param name="Batch">Samples used.</param>
    /// <param name="Error">Largest relative error over output and gradients (NaN or ∞ when any was not finite).</param>
    /// <param name="Worst">Which quantity had it: output, input gradient, weight gradient or bias gradient.</param>
    /// <param name="Milliseconds">Time the check took.</param>
    public sealed record Result(ConvolutionShape Shape, int Batch, double Error, string Worst, double Milliseconds)
    {
        /// <summary>Whether the native layer agreed within <see cref="Tolerance"/>.</summary>
        public bool Passed => Error <= Tolerance;

        /// <inheritdoc />
        public override string ToString() =>
            $"{Shape}: {(Passed ? "passed" : "FAILED")}, largest relative error {Error:0.#e+0} ({Worst})";
    }

    /// <summary>Checks every layer shape with a batch of <paramref name="batch"/> random samples (fixed seed).</summary>
    public static IReadOnlyList<Result> Run(IReadOnlyList<ConvolutionShape> shapes, int batch)
    {
        var results = new List<Result>();
        var generator = new Generator(20_240_611);
        // The native layer's initialisation draws from the global generator: put it back afterwards, so a run's
        // model is the same whether or not the check ran before it.
        using var globalState = random.get_rng_state();
        foreach (var shape in shapes)
        {
            var clock = Stopwatch.StartNew();
            using var scope = NewDisposeScope();
            using var native = ConvolutionStack.NativeLayer(shape);
            using var reference = new UnfoldConvolution(shape.Layer, shape.InChannels, shape.OutChannels, shape.Kernel, padding: shape.Padding);
            reference.CopyFrom(native);
            reference.to(float64);
            var (error, worst) = Enumerable.Range(0, Passes)
                .Select(_ => Compare(native, reference, shape, batch, generator))
                .OrderByDescending(q => double.IsFinite(q.Error) ? q.Error : double.PositiveInfinity)
                .First();
            results.Add(new Result(shape, batch, error, worst, clock.Elapsed.TotalMilliseconds));
        }
        random.set_rng_state(globalState);
        return results;
    }

    /// <summary>One forward and backward pass of both layers on fresh random input; the worst relative error.</summary>
    private static (double Error, string Name) Compare(TorchSharp.Modules.Convolution native, UnfoldConvolution reference,
        ConvolutionShape shape, int batch, Generator generator)
    {
        using var scope = NewDisposeScope();
        native.zero_grad();
        reference.zero_grad();
        var x = randn([batch, shape.InChannels, .. shape.InputSize], generator: generator).requires_grad_();
        var y = native.call(x);
        var upstream = randn(y.shape, generator: generator);
        y.backward([upstream]);

        var x64 = x.detach().to(float64).requires_grad_();
        var y64 = reference.call(x64);
        y64.backward([upstream.to(float64)]);

        return new[]
        {
            ("output", y.detach(), y64.detach()),
            ("input gradient", x.grad!, x64.grad!),
            ("weight gradient", native.weight!.grad!, reference.weight.grad!),
            ("bias gradient", native.bias!.grad!, reference.bias!.grad!),
        }
        .Select(q => (Error: RelativeError(q.Item2, q.Item3), Name: q.Item1))
        .OrderByDescending(q => double.IsFinite(q.Error) ? q.Error : double.PositiveInfinity)
        .First();
    }

    /// <summary>max |a − b| / max |b|; NaN when a is not finite.</summary>
    private static double RelativeError(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        var a64 = a.to(float64);
        if (!a64.isfinite().all().item<bool>())
        {
            return double.NaN;
        }
        double scale = Math.Max(b.abs().max().item<double>(), double.Epsilon);
        return (a64 - b).abs().max().item<double>() / scale;
    }
}
