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
    /// Checks, without building anything (no TorchSharp), that the model of <paramref name="options"/> can be built for
    /// samples of <paramref name="sampleShape"/>: what <see cref="Create"/> would refuse, so that a sweep refuses a run
    /// when it is planned rather than when its task starts.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown kind or activation, or a kind or size that does not fit the samples (ParamName: "Model.Kind", …).</exception>
    /// <remarks>Also run before the native convolution check, which would otherwise try a kernel of any size (100 000 ran out of memory).</remarks>
    /// <returns>The model kind, lower case.</returns>
    public static string CheckFits(ModelOptions options, IReadOnlyList<int> sampleShape)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sampleShape);
        options.Validate();
        const string prefix = ModelOptions.ParamPrefix;
        var kind = options.Kind.ToLowerInvariant();
        if (!Kinds.ContainsKey(kind))
        {
            throw OptionErrors.Invalid(prefix + nameof(options.Kind), $"unknown model '{options.Kind}'; use one of {string.Join(", ", Kinds.Keys)}.");
        }
        if (!MlpModel.Activations.Contains(options.Activation.ToLowerInvariant()))
        {
            throw OptionErrors.Invalid(prefix + nameof(options.Activation), $"unknown activation '{options.Activation}'; use one of {string.Join(", ", MlpModel.Activations)}.");
        }
        string shape = string.Join("×", sampleShape);
        switch (kind)
        {
            case "mlp":
                if (options.Hidden.Any(w => w <= 0))
                {
                    throw OptionErrors.Invalid(prefix + nameof(options.Hidden), $"widths must be positive (got {string.Join(",", options.Hidden)}).");
                }
                break;
            case "cnn3d":
                Require(sampleShape.Count == 3, kind, shape);
                RequireKernelFits(options, sampleShape, "voxels along an axis");
                break;
            case "cnn1d":
                Require(sampleShape.Count == 2, kind, shape);
                RequireKernelFits(options, [sampleShape[1]], "time points");
                break;
            default:
                Require(sampleShape.Count == 2, kind, shape);
                if (sampleShape[1] < options.Window)
                {
                    throw OptionErrors.OutOfRange(prefix + nameof(options.Window), options.Window, $"{options.Window} is longer than the {sampleShape[1]} time points of a sample.");
                }
                if (kind == "transformer" && options.Embedding % options.Heads != 0)
                {
                    throw OptionErrors.OutOfRange(prefix + nameof(options.Heads), options.Heads, $"{options.Heads} must divide the embedding width {options.Embedding}.");
                }
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
