namespace AutoSpec.Models;

/// <summary>Which model to train and its sizes (the input and output sizes come from the data).</summary>
public sealed record ModelOptions
{
    /// <summary>
    /// mlp (any sample shape, flattened), cnn1d, lstm, bilstm, gru, transformer (samples of shape components × time
    /// points), or cnn3d (volumes).
    /// </summary>
    public string Kind { get; init; } = "mlp";

    /// <summary>MLP: widths of the hidden layers.</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [64, 32];

    /// <summary>Activation: relu, tanh, gelu, elu, leaky_relu or sigmoid.</summary>
    public string Activation { get; init; } = "relu";

    /// <summary>CNNs: channels of the convolution layers.</summary>
    public IReadOnlyList<int> Channels { get; init; } = [16, 32];

    /// <summary>CNNs: kernel size (along each spatial dimension).</summary>
    public int Kernel { get; init; } = 5;

    /// <summary>Recurrent and transformer models: window length in time points.</summary>
    public int Window { get; init; } = 20;

    /// <summary>Recurrent and transformer models: width of the window encoder (tokens).</summary>
    public int Embedding { get; init; } = 64;

    /// <summary>Recurrent models: hidden size.</summary>
    public int RecurrentHidden { get; init; } = 64;

    /// <summary>Recurrent models: stacked layers; transformer: encoder blocks.</summary>
    public int Layers { get; init; } = 1;

    /// <summary>Transformer: attention heads (must divide <see cref="Embedding"/>).</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Transformer: LayerNorm before each sub-block.</summary>
    public bool NormFirst { get; init; }

    /// <summary>
    /// CNNs: auto (libtorch's convolution when its check on this machine passes, else
    /// <see cref="Layers.UnfoldConvolution"/>), native or unfold (<see cref="ConvolutionChoice"/>).
    /// </summary>
    public string Convolution { get; init; } = "auto";

    /// <summary>Dropout probability (recurrent between layers, transformer blocks).</summary>
    public double Dropout { get; init; }

    /// <summary>Checks the sizes; throws <see cref="InvalidInputException"/> naming the option.</summary>
    public void Validate()
    {
        if (Channels.Count == 0 || Channels.Any(c => c <= 0))
        {
            throw new InvalidInputException($"--channels: give one or more positive channel counts (got '{string.Join(",", Channels)}').");
        }
        foreach (var (value, option) in new[] { (Kernel, "--kernel"), (Window, "--window"), (Embedding, "--embedding"),
            (RecurrentHidden, "--recurrent-hidden"), (Layers, "--model-layers"), (Heads, "--heads") })
        {
            if (value <= 0)
            {
                throw new InvalidInputException($"{option} must be a positive integer (got {value}).");
            }
        }
        if (!ConvolutionChoice.Modes.Contains(Convolution.ToLowerInvariant()))
        {
            throw new InvalidInputException($"--convolution: unknown value '{Convolution}'; use one of {string.Join(", ", ConvolutionChoice.Modes)}.");
        }
        if (!(Dropout >= 0 && Dropout < 1))
        {
            throw new InvalidInputException($"--dropout must be in [0, 1) (got {Dropout}).");
        }
    }
}
