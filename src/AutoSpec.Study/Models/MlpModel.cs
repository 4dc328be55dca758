using static TorchSharp.torch;

namespace AutoSpec.Models;

/// <summary>
/// The multilayer perceptron for tables and connectivity: flatten, then fc1, act1, fc2, act2, …, fcL (logits).
/// </summary>
internal static class MlpModel
{
    /// <summary>The activations <see cref="ModelOptions.Activation"/> accepts.</summary>
    public static readonly IReadOnlyList<string> Activations = ["relu", "tanh", "gelu", "elu", "leaky_relu", "sigmoid"];

    /// <summary>Creates the model; weights are initialised from TorchSharp's global generator (seed it first).</summary>
    public static nn.Module<Tensor, Tensor> Create(int inputs, int classes, ModelOptions options)
    {
        var layers = Layers(inputs, classes, options);
        layers.Insert(0, ("flatten", nn.Flatten()));
        return nn.Sequential(layers);
    }

    /// <summary>The Linear/activation stack (named fc1, act1, …) without the flattening.</summary>
    internal static List<(string, nn.Module<Tensor, Tensor>)> Layers(int inputs, int classes, ModelOptions options)
    {
        if (options.Hidden.Any(w => w <= 0))
        {
            throw OptionErrors.Invalid(ModelOptions.ParamPrefix + nameof(options.Hidden), $"widths must be positive (got {string.Join(",", options.Hidden)}).");
        }
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        int width = inputs;
        int index = 1;
        foreach (var hidden in options.Hidden)
        {
            layers.Add(($"fc{index}", nn.Linear(width, hidden)));
            layers.Add(($"act{index}", Activation(options.Activation)));
            width = hidden;
            index++;
        }
        layers.Add(($"fc{index}", nn.Linear(width, classes)));
        return layers;
    }

    /// <summary>The activation module of a name.</summary>
    internal static nn.Module<Tensor, Tensor> Activation(string name) => name.ToLowerInvariant() switch
    {
        "relu" => nn.ReLU(),
        "tanh" => nn.Tanh(),
        "gelu" => nn.GELU(),
        "elu" => AutoSpec.Layers.HeldScalarActivation.Elu(),
        "leaky_relu" => AutoSpec.Layers.HeldScalarActivation.LeakyRelu(0.01),
        "sigmoid" => nn.Sigmoid(),
        _ => throw OptionErrors.Invalid(ModelOptions.ParamPrefix + nameof(ModelOptions.Activation), $"unknown activation '{name}'; use one of {string.Join(", ", Activations)}."),
    };
}
