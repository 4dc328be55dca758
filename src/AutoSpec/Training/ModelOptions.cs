namespace AutoSpec.Training;

/// <summary>The multilayer perceptron: Linear layers named fc1, fc2, … with an activation between them.</summary>
public sealed record ModelOptions
{
    /// <summary>Widths of the hidden layers (the input and output widths come from the data).</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [64, 32];

    /// <summary>Activation between layers: relu, tanh, gelu, elu, leaky_relu or sigmoid.</summary>
    public string Activation { get; init; } = "relu";
}
