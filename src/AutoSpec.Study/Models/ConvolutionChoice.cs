namespace AutoSpec.Models;

/// <summary>
/// Which convolution a model's convolution layers use, and why (recorded in the manifest as <c>convolutions</c>).
/// </summary>
/// <param name="Requested">What was asked: auto, native or unfold.</param>
/// <param name="Used">What the layers use: native (libtorch's convolution) or unfold (<see cref="Layers.UnfoldConvolution"/>).</param>
/// <param name="Reason">Why, in words (the check's result for auto).</param>
/// <param name="Layers">Per layer, the check's largest relative error, or why it was not run.</param>
public sealed record ConvolutionChoice(string Requested, string Used, string Reason, IReadOnlyDictionary<string, string> Layers)
{
    /// <summary>The values <see cref="ModelOptions.Convolution"/> accepts.</summary>
    public static readonly IReadOnlyList<string> Modes = ["auto", "native", "unfold"];

    /// <summary>Whether the layers use libtorch's convolution.</summary>
    public bool Native => Used == "native";

    /// <summary>The warning to record when the choice deserves one (auto fell back, or native was forced past a failed check).</summary>
    public string? Warning { get; init; }

    /// <summary>
    /// Decides for a CNN: unfold when asked; otherwise runs <see cref="NativeConvolutionCheck"/> on the model's layer
    /// shapes (with the torch threads in force) and uses native convolution when it passes, or when native is forced
    /// (then a failed check is a warning). Null for models without convolutions.
    /// </summary>
    /// <param name="options">The model.</param>
    /// <param name="sampleShape">The data's sample shape.</param>
    /// <param name="batchSize">The training batch size (the check uses at most 4 samples).</param>
    /// <exception cref="ArgumentException">The options are invalid (checked before anything runs; see <see cref="ModelOptions.Validate"/>).</exception>
    public static ConvolutionChoice? Decide(ModelOptions options, IReadOnlyList<int> sampleShape, int batchSize)
    {
        options.Validate();
        var shapes = ConvolutionStack.Shapes(options, sampleShape);
        if (shapes.Count == 0)
        {
            return null;
        }
        string requested = options.Convolution.ToLowerInvariant();
        if (requested == "unfold")
        {
            return new ConvolutionChoice(requested, "unfold", "forced (--convolution unfold); native convolution not checked",
                shapes.ToDictionary(s => s.Layer, _ => "not checked"));
        }
        var check = NativeConvolutionCheck.Run(shapes, Math.Clamp(batchSize, 1, 4));
        var layers = check.ToDictionary(c => c.Shape.Layer, c => c.ToString());
        var failed = check.Where(c => !c.Passed).ToList();
        string summary = failed.Count == 0
            ? $"native convolution forward and backward matched a float64 computation on every layer (largest relative error {check.Max(c => c.Error):0.#e+0}, tolerance {NativeConvolutionCheck.Tolerance:0.#e+0}, {check[0].Batch} samples, {TorchSharp.torch.get_num_threads()} torch threads, {check.Sum(c => c.Milliseconds):F0} ms)"
            : $"native convolution differed from a float64 computation: {string.Join("; ", failed)}";
        if (requested == "native")
        {
            return new ConvolutionChoice(requested, "native", "forced (--convolution native); " + summary, layers)
            {
                Warning = failed.Count == 0 ? null : $"--convolution native was forced although {summary}; gradients may be wrong.",
            };
        }
        return failed.Count == 0
            ? new ConvolutionChoice(requested, "native", summary, layers)
            : new ConvolutionChoice(requested, "unfold", summary + "; the layers use UnfoldConvolution instead", layers)
            {
                Warning = $"Convolutions use UnfoldConvolution (slower) because {summary}.",
            };
    }
}
