using static TorchSharp.torch;

namespace AutoSpec.Models;

/// <summary>Builds the model a configuration names, checking it fits the shape of the samples.</summary>
public static class ModelFactory
{
    /// <summary>The model kinds, with the sample shapes they take.</summary>
    public static readonly IReadOnlyDictionary<string, string> Kinds = new Dictionary<string, string>
    {
        ["mlp"] = "any shape (flattened): tables, connectivity",
        ["cnn1d"] = "components × time points",
        ["lstm"] = "components × time points (windowed)",
        ["bilstm"] = "components × time points (windowed)",
        ["gru"] = "components × time points (windowed)",
        ["transformer"] = "components × time points (windowed)",
        ["cnn3d"] = "x × y × z volumes",
    };

    /// <summary>Creates the model; weights come from TorchSharp's global generator (seed it first).</summary>
    /// <param name="options">The model.</param>
    /// <param name="sampleShape">The data's sample shape.</param>
    /// <param name="classes">Output classes.</param>
    /// <param name="convolutions">
    /// For CNNs, the convolution to use; null decides here (<see cref="ConvolutionChoice.Decide"/>, with 4 samples).
    /// </param>
    /// <exception cref="ArgumentException">
    /// Unknown kind, a kind or kernel that does not fit the sample shape, or another option out of range:
    /// <see cref="ArgumentException.ParamName"/> is the option's path ("Model.Kind", "Model.Kernel", …).
    /// </exception>
    public static nn.Module<Tensor, Tensor> Create(ModelOptions options, IReadOnlyList<int> sampleShape, int classes,
        ConvolutionChoice? convolutions = null)
    {
        var kind = CheckFits(options, sampleShape);
        bool Native() => (convolutions ?? ConvolutionChoice.Decide(options, sampleShape, 4))?.Native ?? false;
        return kind switch
        {
            "mlp" => MlpModel.Create(sampleShape.Aggregate(1, (a, b) => a * b), classes, options),
            "cnn3d" => Cnn3dModel.Create(sampleShape, classes, options, Native()),
            "cnn1d" => Cnn1dModel.Create(sampleShape, classes, options, Native()),
            _ => WindowedSequenceModel.Create(sampleShape, classes, options with { Kind = kind }),
        };
    }

    /// <summary>
    /// Checks the options and that the kind and kernel fit the sample shape, without building anything: run before
    /// the native convolution check, which would otherwise try a kernel of any size (100 000 ran out of memory).
    /// </summary>
    /// <returns>The model kind, lower case.</returns>
    /// <exception cref="ArgumentException">As <see cref="Create"/>.</exception>
    internal static string CheckFits(ModelOptions options, IReadOnlyList<int> sampleShape)
    {
        options.Validate();
        var kind = options.Kind.ToLowerInvariant();
        if (!Kinds.ContainsKey(kind))
        {
            throw OptionErrors.Invalid(ModelOptions.ParamPrefix + nameof(options.Kind), $"unknown model '{options.Kind}'; use one of {string.Join(", ", Kinds.Keys)}.");
        }
        int dims = sampleShape.Count;
        string shape = string.Join("×", sampleShape);
        switch (kind)
        {
            case "mlp":
                break;
            case "cnn3d":
                Require(dims == 3, kind, shape);
                RequireKernelFits(options, sampleShape, "voxels along an axis");
                break;
            case "cnn1d":
                Require(dims == 2, kind, shape);
                RequireKernelFits(options, [sampleShape[1]], "time points");
                break;
            default:
                Require(dims == 2, kind, shape);
                break;
        }
        return kind;
    }

    /// <summary>
    /// Refuses a kernel longer than a sample along any axis: the first layer would mostly convolve its zero padding,
    /// which trains but means nothing. (Deeper layers, after pooling, may see less; they are left to the user.)
    /// </summary>
    private static void RequireKernelFits(ModelOptions options, IReadOnlyList<int> spatial, string what)
    {
        int smallest = spatial.Min();
        if (options.Channels.Count > 0 && options.Kernel > smallest)
        {
            const string kernel = ModelOptions.ParamPrefix + nameof(ModelOptions.Kernel);
            throw OptionErrors.OutOfRange(kernel, options.Kernel, $"{options.Kernel} is longer than the {smallest} {what} of a sample; use a smaller {kernel}.");
        }
    }

    private static void Require(bool fits, string kind, string shape)
    {
        if (!fits)
        {
            throw OptionErrors.OutOfRange(ModelOptions.ParamPrefix + nameof(ModelOptions.Kind), kind, $"{kind} takes samples of shape {Kinds[kind]}, but the data's samples are {shape}.");
        }
    }
}
