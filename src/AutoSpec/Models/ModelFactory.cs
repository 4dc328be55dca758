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
    /// <exception cref="InvalidInputException">Unknown kind, or a kind that does not fit the sample shape.</exception>
    public static nn.Module<Tensor, Tensor> Create(ModelOptions options, IReadOnlyList<int> sampleShape, int classes,
        ConvolutionChoice? convolutions = null)
    {
        options.Validate();
        var kind = options.Kind.ToLowerInvariant();
        if (!Kinds.ContainsKey(kind))
        {
            throw new InvalidInputException($"--model: unknown model '{options.Kind}'; use one of {string.Join(", ", Kinds.Keys)}.");
        }
        int dims = sampleShape.Count;
        bool Native() => (convolutions ?? ConvolutionChoice.Decide(options, sampleShape, 4))?.Native ?? false;
        string shape = string.Join("×", sampleShape);
        switch (kind)
        {
            case "mlp":
                return MlpModel.Create(sampleShape.Aggregate(1, (a, b) => a * b), classes, options);
            case "cnn3d":
                Require(dims == 3, kind, shape);
                return Cnn3dModel.Create(sampleShape, classes, options, Native());
            case "cnn1d":
                Require(dims == 2, kind, shape);
                return Cnn1dModel.Create(sampleShape, classes, options, Native());
            default:
                Require(dims == 2, kind, shape);
                return WindowedSequenceModel.Create(sampleShape, classes, options with { Kind = kind });
        }
    }

    private static void Require(bool fits, string kind, string shape)
    {
        if (!fits)
        {
            throw new InvalidInputException($"--model {kind} takes samples of shape {Kinds[kind]}, but the data's samples are {shape}.");
        }
    }
}
